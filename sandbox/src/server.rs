//! The HTTP side: a hyper server on 127.0.0.1 running in a background
//! thread with its own tokio runtime. Handlers are plain functions from a
//! [`Request`] to a [`Reply`]; this module moves bytes and protects the
//! server from its clients:
//!
//! - a bounded number of connections: the accept loop takes a slot before
//!   it accepts, so excess connections wait unread in the listen backlog;
//! - back-off when `accept` fails (out of descriptors), never a spin;
//! - a header timeout (also the idle and TLS handshake timeout), a body
//!   timeout and a write-stall timeout;
//! - a body size limit checked on `Content-Length` before reading and
//!   while reading a chunked body; authentication before the body;
//! - handlers of big bodies run on the blocking pool, so a long
//!   validation never holds up the threads that answer everybody else.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::thread::JoinHandle;
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use http_body_util::BodyExt;
use hyper::body::{Body, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::sync::{oneshot, OwnedSemaphorePermit, Semaphore};
use tokio::time::Sleep;
use tokio_rustls::TlsAcceptor;

use crate::config::{MAX_TIMEOUT, MIN_TIMEOUT};
use crate::http::{Reply, Request};
use crate::payload::Payload;
use crate::routes::{self, Route};
use crate::{SandboxConfig, State};

/// Bodies above this size are handled on the blocking pool.
const BIG_BODY: usize = 64 * 1024;
/// The first and the longest pause after a failed `accept`.
const ACCEPT_BACKOFF_MIN: Duration = Duration::from_millis(5);
const ACCEPT_BACKOFF_MAX: Duration = Duration::from_millis(250);
/// Descriptors kept free for everything but connections (the runtime,
/// callbacks, the listener).
#[cfg(unix)]
const RESERVED_DESCRIPTORS: u64 = 64;
/// Connections the kernel completes and holds before they are accepted.
const LISTEN_BACKLOG: u32 = 1024;

/// A timeout changed while running, within the bounds checked at start
/// (hyper adds it to an `Instant` unchecked).
fn bounded(timeout: Duration) -> Duration {
    timeout.clamp(MIN_TIMEOUT, MAX_TIMEOUT)
}

/// The error that makes hyper close a connection without an answer.
#[derive(Debug)]
struct Dropped;

impl std::fmt::Display for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by an injected fault or a broken request")
    }
}

impl std::error::Error for Dropped {}

/// Why a body was not read whole.
enum BodyError {
    TooLarge,
    TimedOut,
    /// The client went away or sent a malformed body.
    Broken,
}

/// Reads a body of at most `limit` bytes within `timeout`.
async fn read_body(mut body: Incoming, limit: u64, timeout: Duration) -> Result<Bytes, BodyError> {
    if body.is_end_stream() {
        return Ok(Bytes::new());
    }
    let read = async {
        // Trust a declared length only as far as the limit allows.
        let mut buf = BytesMut::with_capacity(body.size_hint().lower().min(limit).min(1 << 20) as usize);
        while let Some(frame) = body.frame().await {
            let frame = frame.map_err(|_| BodyError::Broken)?;
            if let Ok(data) = frame.into_data() {
                if (buf.len() + data.len()) as u64 > limit {
                    return Err(BodyError::TooLarge);
                }
                buf.extend_from_slice(&data);
            }
        }
        Ok(buf.freeze())
    };
    tokio::time::timeout(timeout, read).await.unwrap_or(Err(BodyError::TimedOut))
}

fn too_large(state: &State, route: &Route, limit: u64) -> Reply {
    state.count(|s| s.bodies_too_large += 1);
    let text = format!("Тело запроса больше допустимого: не более {limit} байт (request body over {limit} bytes)");
    routes::refusal(route.api(), 413, "RequestTooLarge", &text).closing()
}

async fn respond(state: Arc<State>, request: hyper::Request<Incoming>) -> Result<hyper::Response<Payload>, Dropped> {
    let (parts, body) = request.into_parts();
    let mut request = Request::new(&parts);
    let route = Route::of(&request);
    let (limit, body_timeout, global_delay) =
        state.settings(|c| (c.max_body_bytes, bounded(c.body_read_timeout), c.response_delay));
    let reply = if body.size_hint().lower() > limit {
        // The declared length alone refuses it: not a byte of it is read.
        too_large(&state, &route, limit)
    } else if let Some(refused) = route.authenticate(&state, &request) {
        // A stranger's body is never read; the connection closes if one was sent.
        if body.is_end_stream() {
            refused
        } else {
            refused.closing()
        }
    } else {
        match read_body(body, limit, body_timeout).await {
            Ok(bytes) => {
                request.body = bytes;
                if request.body.len() > BIG_BODY {
                    let state = state.clone();
                    tokio::task::spawn_blocking(move || routes::dispatch(&state, &route, &request))
                        .await
                        .map_err(|_| Dropped)?
                } else {
                    routes::dispatch(&state, &route, &request)
                }
            }
            Err(BodyError::TooLarge) => too_large(&state, &route, limit),
            Err(BodyError::TimedOut) => {
                state.count(|s| s.body_timeouts += 1);
                let text = format!(
                    "Тело запроса не пришло за {} мс (request body not received within {} ms)",
                    body_timeout.as_millis(),
                    body_timeout.as_millis()
                );
                routes::refusal(route.api(), 408, "RequestTimeout", &text).closing()
            }
            Err(BodyError::Broken) => return Err(Dropped),
        }
    };
    match reply {
        Reply::Drop => Err(Dropped),
        // Never answer; hyper drops this future when the client closes.
        Reply::Hang => std::future::pending().await,
        Reply::Answer { status, content_type, body, delay, delivery, close } => {
            let delay = delay.saturating_add(global_delay);
            if !delay.is_zero() {
                tokio::time::sleep(delay).await;
            }
            let (payload, promised) = Payload::new(body, delivery);
            let mut response = hyper::Response::new(payload);
            *response.status_mut() =
                hyper::StatusCode::from_u16(status).unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
            let headers = response.headers_mut();
            headers.insert(hyper::header::CONTENT_TYPE, hyper::header::HeaderValue::from_static(content_type));
            if let Some(length) = promised {
                headers.insert(hyper::header::CONTENT_LENGTH, length.into());
            }
            if close {
                headers.insert(hyper::header::CONNECTION, hyper::header::HeaderValue::from_static("close"));
            }
            Ok(response)
        }
    }
}

/// A stream whose writes fail once they have stalled for `timeout`: a
/// client that stops reading an answer does not hold its connection.
struct StallGuard<IO> {
    io: IO,
    timeout: Duration,
    stalled: Option<Pin<Box<Sleep>>>,
}

impl<IO> StallGuard<IO> {
    fn progress<T>(&mut self, cx: &mut Context<'_>, poll: Poll<io::Result<T>>) -> Poll<io::Result<T>> {
        if poll.is_ready() {
            self.stalled = None;
            return poll;
        }
        let timeout = self.timeout;
        let stalled = self.stalled.get_or_insert_with(|| Box::pin(tokio::time::sleep(timeout)));
        match stalled.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(io::Error::new(io::ErrorKind::TimedOut, "the client stopped reading"))),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl<IO: AsyncRead + Unpin> AsyncRead for StallGuard<IO> {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_read(cx, buf)
    }
}

impl<IO: AsyncWrite + Unpin> AsyncWrite for StallGuard<IO> {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let poll = Pin::new(&mut self.io).poll_write(cx, buf);
        self.progress(cx, poll)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let poll = Pin::new(&mut self.io).poll_write_vectored(cx, bufs);
        self.progress(cx, poll)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let poll = Pin::new(&mut self.io).poll_flush(cx);
        self.progress(cx, poll)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let poll = Pin::new(&mut self.io).poll_shutdown(cx);
        self.progress(cx, poll)
    }
}

/// Counts a connection open while it lives.
struct OpenConnection(Arc<State>);

impl OpenConnection {
    fn new(state: Arc<State>) -> OpenConnection {
        state.count(|s| {
            s.connections_open += 1;
            s.connections_accepted += 1;
        });
        OpenConnection(state)
    }
}

impl Drop for OpenConnection {
    fn drop(&mut self) {
        self.0.count(|s| s.connections_open = s.connections_open.saturating_sub(1));
    }
}

async fn connection(
    state: Arc<State>,
    stream: tokio::net::TcpStream,
    tls: Option<TlsAcceptor>,
    slot: OwnedSemaphorePermit,
) {
    let _slot = slot;
    let _open = OpenConnection::new(state.clone());
    let header_timeout = state.settings(|c| bounded(c.header_read_timeout));
    match tls {
        None => serve(state, stream).await,
        Some(acceptor) => match tokio::time::timeout(header_timeout, acceptor.accept(stream)).await {
            Ok(Ok(stream)) => serve(state, stream).await,
            Ok(Err(_)) => {}
            Err(_) => state.count(|s| s.header_timeouts += 1),
        },
    }
}

async fn serve<IO: AsyncRead + AsyncWrite + Unpin + Send + 'static>(state: Arc<State>, io: IO) {
    let (header_timeout, write_timeout) =
        state.settings(|c| (bounded(c.header_read_timeout), bounded(c.write_timeout)));
    let io = TokioIo::new(StallGuard { io, timeout: write_timeout, stalled: None });
    let service_state = state.clone();
    let service = service_fn(move |request| respond(service_state.clone(), request));
    let mut builder = http1::Builder::new();
    builder.timer(TokioTimer::new()).header_read_timeout(header_timeout).keep_alive(true);
    // A dropped connection ends here with the service's error: that is the point.
    if let Err(e) = builder.serve_connection(io, service).await {
        if e.is_timeout() {
            state.count(|s| s.header_timeouts += 1);
        }
    }
}

/// Whether an `accept` error concerns only the connection being accepted.
fn lost_one_connection(e: &io::Error) -> bool {
    matches!(e.kind(), io::ErrorKind::ConnectionAborted | io::ErrorKind::ConnectionReset | io::ErrorKind::Interrupted)
}

async fn accept_loop(
    listener: tokio::net::TcpListener,
    state: Arc<State>,
    tls: Option<TlsAcceptor>,
    limit: usize,
    mut stopped: oneshot::Receiver<()>,
) {
    let slots = Arc::new(Semaphore::new(limit));
    let mut backoff = ACCEPT_BACKOFF_MIN;
    loop {
        // A slot first: at the limit, new connections wait in the backlog.
        let slot = tokio::select! {
            _ = &mut stopped => break,
            slot = slots.clone().acquire_owned() => match slot {
                Ok(slot) => slot,
                Err(_) => break,
            },
        };
        let accepted = tokio::select! {
            _ = &mut stopped => break,
            accepted = listener.accept() => accepted,
        };
        match accepted {
            Ok((stream, _)) => {
                backoff = ACCEPT_BACKOFF_MIN;
                let _ = stream.set_nodelay(true);
                tokio::spawn(connection(state.clone(), stream, tls.clone(), slot));
            }
            Err(e) if lost_one_connection(&e) => {}
            Err(_) => {
                // Out of descriptors or memory: the pending connection stays
                // in the backlog and accept would fail again at once. Wait for
                // connections to close instead of spinning.
                state.count(|s| s.accept_errors += 1);
                tokio::select! {
                    _ = &mut stopped => break,
                    _ = tokio::time::sleep(backoff) => {}
                }
                backoff = (backoff * 2).min(ACCEPT_BACKOFF_MAX);
            }
        }
    }
}

/// `wanted`, lowered so every connection can have a descriptor.
// getrlimit from libc is the one unsafe call in the sandbox.
#[allow(unsafe_code)]
fn fit_to_open_file_limit(wanted: usize) -> usize {
    #[cfg(unix)]
    {
        let mut limit = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
        // SAFETY: getrlimit writes into the struct it is given and nothing else.
        let known = unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } == 0;
        if known && limit.rlim_cur != libc::RLIM_INFINITY {
            // rlim_t is not u64 on every unix.
            #[allow(clippy::useless_conversion)]
            let available = u64::try_from(limit.rlim_cur).unwrap_or(u64::MAX).saturating_sub(RESERVED_DESCRIPTORS);
            return wanted.min(usize::try_from(available).unwrap_or(usize::MAX)).max(1);
        }
    }
    wanted
}

/// The running server: its address, and the handles that stop it.
pub(crate) struct Running {
    pub addr: SocketAddr,
    pub tls: bool,
    pub connection_limit: usize,
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Running {
    pub(crate) fn start(state: Arc<State>, config: &SandboxConfig) -> io::Result<Running> {
        let tls = match &config.tls {
            Some(identity) => Some(TlsAcceptor::from(
                identity
                    .server_config()
                    .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, format!("tls: {e}")))?,
            )),
            None => None,
        };
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("ofdkit-sandbox")
            .enable_all()
            .build()?;
        let listener = {
            // The listener registers with this runtime's reactor.
            let _context = runtime.enter();
            let socket = tokio::net::TcpSocket::new_v4()?;
            // As std does: a restart may bind the port its predecessor left in
            // TIME_WAIT. (On Windows the option means sharing a bound port.)
            #[cfg(not(windows))]
            socket.set_reuseaddr(true)?;
            socket.bind(SocketAddr::from(([127, 0, 0, 1], config.port)))?;
            // A backlog long enough for a burst of clients (std's is 128):
            // connections past the limit wait there.
            socket.listen(LISTEN_BACKLOG)?
        };
        let addr = listener.local_addr()?;
        let connection_limit = fit_to_open_file_limit(config.max_connections);
        let (stop, stopped) = oneshot::channel::<()>();
        let is_tls = tls.is_some();
        let thread = std::thread::Builder::new().name("ofdkit-sandbox".into()).spawn(move || {
            runtime.block_on(accept_loop(listener, state, tls, connection_limit, stopped));
            // Dropping the runtime drops every connection task.
        })?;
        Ok(Running { addr, tls: is_tls, connection_limit, shutdown: Some(stop), thread: Some(thread) })
    }

    pub(crate) fn stop(&mut self) {
        if let Some(stop) = self.shutdown.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.stop();
    }
}
