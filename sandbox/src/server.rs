//! The HTTP side: a hyper server on 127.0.0.1 running in a background
//! thread with its own tokio runtime. Handlers are plain functions from a
//! [`Request`] to a [`Reply`]; this module only moves bytes, delays answers
//! and drops connections when a fault says so.

use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::sync::oneshot;

use crate::State;

/// A request as the handlers see it.
#[derive(Debug)]
pub(crate) struct Request {
    pub method: String,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub headers: Vec<(String, String)>,
    pub body: Bytes,
}

impl Request {
    pub(crate) fn query(&self, name: &str) -> Option<&str> {
        self.query.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// The path's segments after `prefix`, or `None` if it does not start so.
    pub(crate) fn segments_after(&self, prefix: &str) -> Option<Vec<String>> {
        let rest = self.path.strip_prefix(prefix)?;
        if !(rest.is_empty() || rest.starts_with('/')) {
            return None;
        }
        Some(rest.split('/').filter(|s| !s.is_empty()).map(percent_decode).collect())
    }
}

/// What to do with a request.
#[derive(Debug)]
pub(crate) enum Reply {
    Answer {
        status: u16,
        content_type: &'static str,
        body: Vec<u8>,
        delay: Duration,
    },
    /// Close the connection without answering.
    Drop,
}

impl Reply {
    pub(crate) fn json(status: u16, body: impl Into<Vec<u8>>) -> Self {
        Reply::Answer {
            status,
            content_type: "application/json; charset=utf-8",
            body: body.into(),
            delay: Duration::ZERO,
        }
    }

    pub(crate) fn bytes(status: u16, content_type: &'static str, body: Vec<u8>) -> Self {
        Reply::Answer { status, content_type, body, delay: Duration::ZERO }
    }

    pub(crate) fn delayed(self, by: Duration) -> Self {
        match self {
            Reply::Answer { status, content_type, body, delay } => {
                Reply::Answer { status, content_type, body, delay: delay + by }
            }
            Reply::Drop => Reply::Drop,
        }
    }
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = |b: u8| (b as char).to_digit(16);
                match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                    (Some(high), Some(low)) => {
                        out.push((high * 16 + low) as u8);
                        i += 3;
                    }
                    _ => {
                        out.push(b'%');
                        i += 1;
                    }
                }
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn parse_query(query: Option<&str>) -> Vec<(String, String)> {
    query
        .unwrap_or_default()
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| match pair.split_once('=') {
            Some((k, v)) => (percent_decode(k), percent_decode(v)),
            None => (percent_decode(pair), String::new()),
        })
        .collect()
}

/// The error that makes hyper close a connection without an answer.
#[derive(Debug)]
struct Dropped;

impl std::fmt::Display for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by an injected fault")
    }
}

impl std::error::Error for Dropped {}

async fn serve(state: Arc<State>, request: hyper::Request<Incoming>) -> Result<hyper::Response<Full<Bytes>>, Dropped> {
    let (parts, body) = request.into_parts();
    let body = match body.collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(_) => return Err(Dropped),
    };
    let request = Request {
        method: parts.method.as_str().to_owned(),
        path: parts.uri.path().to_owned(),
        query: parse_query(parts.uri.query()),
        headers: parts
            .headers
            .iter()
            .filter_map(|(k, v)| Some((k.as_str().to_owned(), v.to_str().ok()?.to_owned())))
            .collect(),
        body,
    };
    let global_delay = state.config().response_delay;
    match crate::route(&state, &request) {
        Reply::Drop => Err(Dropped),
        Reply::Answer { status, content_type, body, delay } => {
            let delay = delay + global_delay;
            if !delay.is_zero() {
                tokio::time::sleep(delay).await;
            }
            let mut response = hyper::Response::new(Full::new(Bytes::from(body)));
            *response.status_mut() =
                hyper::StatusCode::from_u16(status).unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
            if let Ok(value) = hyper::header::HeaderValue::from_str(content_type) {
                response.headers_mut().insert(hyper::header::CONTENT_TYPE, value);
            }
            Ok(response)
        }
    }
}

/// The running server: its address, and the handles that stop it.
pub(crate) struct Running {
    pub addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Running {
    pub(crate) fn start(state: Arc<State>, port: u16) -> std::io::Result<Running> {
        let listener = TcpListener::bind(("127.0.0.1", port))?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("ofdkit-sandbox")
            .enable_all()
            .build()?;
        let (stop, mut stopped) = oneshot::channel::<()>();
        let thread = std::thread::Builder::new().name("ofdkit-sandbox".into()).spawn(move || {
            runtime.block_on(async move {
                let listener = match tokio::net::TcpListener::from_std(listener) {
                    Ok(l) => l,
                    Err(_) => return,
                };
                loop {
                    tokio::select! {
                        _ = &mut stopped => break,
                        accepted = listener.accept() => {
                            let Ok((stream, _)) = accepted else { continue };
                            let _ = stream.set_nodelay(true);
                            let state = state.clone();
                            tokio::spawn(async move {
                                let service = service_fn(move |request| serve(state.clone(), request));
                                // A dropped connection ends here with the service's error: that is the point.
                                let _ = http1::Builder::new().keep_alive(true).serve_connection(TokioIo::new(stream), service).await;
                            });
                        }
                    }
                }
            });
            // Leaving block_on drops the runtime and every connection task.
        })?;
        Ok(Running { addr, shutdown: Some(stop), thread: Some(thread) })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_queries() {
        assert_eq!(
            parse_query(Some("token=a%26b&login=x+y&empty&pass=%D0%96")),
            [
                ("token".into(), "a&b".into()),
                ("login".into(), "x y".into()),
                ("empty".into(), String::new()),
                ("pass".into(), "Ж".into())
            ]
        );
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
        assert_eq!(percent_decode("%Ж1"), "%Ж1");
    }
}
