//! The body of an answer as it goes out: whole, slowly, cut short or
//! never ending — the last three for faults a client must survive.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use hyper::body::{Body, Frame, SizeHint};
use tokio::time::Sleep;

use crate::http::Delivery;

/// Pieces a slow answer is sent in.
const SLOW_PIECES: usize = 10;
/// The padding an endless answer repeats.
const ENDLESS_CHUNK: usize = 16 * 1024;
/// How long a truncated answer waits after its half, so the half is on the
/// wire before the connection is torn down.
const TRUNCATED_LINGER: Duration = Duration::from_millis(50);

pub(crate) struct Payload {
    state: State,
}

enum State {
    Whole(Option<Bytes>),
    Slow { rest: Bytes, piece: usize, interval: Duration, pause: Option<Pin<Box<Sleep>>> },
    Truncated { half: Option<Bytes>, linger: Pin<Box<Sleep>> },
    Endless { head: Option<Bytes>, padding: Bytes },
}

impl Payload {
    /// The body for `bytes` delivered `how`, and the `Content-Length` to
    /// promise when it differs from what the body will send (truncated).
    pub(crate) fn new(bytes: Vec<u8>, how: Delivery) -> (Payload, Option<u64>) {
        let bytes = Bytes::from(bytes);
        match how {
            Delivery::Whole => (Payload { state: State::Whole(Some(bytes)) }, None),
            Delivery::Slow(over) => {
                let piece = bytes.len().div_ceil(SLOW_PIECES).max(1);
                let interval = over / SLOW_PIECES as u32;
                (Payload { state: State::Slow { rest: bytes, piece, interval, pause: None } }, None)
            }
            Delivery::Truncated => {
                let promised = bytes.len() as u64;
                let half = bytes.slice(..bytes.len() / 2);
                let linger = Box::pin(tokio::time::sleep(TRUNCATED_LINGER));
                (Payload { state: State::Truncated { half: Some(half), linger } }, Some(promised))
            }
            Delivery::Endless => {
                // The answer's JSON opened and a string that never closes.
                let mut head = bytes.to_vec();
                if head.last() == Some(&b'}') {
                    head.pop();
                    head.extend_from_slice(b",\"padding\":\"");
                }
                let padding = Bytes::from(vec![b' '; ENDLESS_CHUNK]);
                (Payload { state: State::Endless { head: Some(Bytes::from(head)), padding } }, None)
            }
        }
    }
}

impl Body for Payload {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, std::io::Error>>> {
        match &mut self.state {
            State::Whole(bytes) => Poll::Ready(bytes.take().map(|b| Ok(Frame::data(b)))),
            State::Slow { rest, piece, interval, pause } => {
                if rest.is_empty() {
                    return Poll::Ready(None);
                }
                // Wait an interval before each piece, the first included.
                let sleep = pause.get_or_insert_with(|| Box::pin(tokio::time::sleep(*interval)));
                if sleep.as_mut().poll(cx).is_pending() {
                    return Poll::Pending;
                }
                *pause = None;
                let n = (*piece).min(rest.len());
                Poll::Ready(Some(Ok(Frame::data(rest.split_to(n)))))
            }
            State::Truncated { half, linger } => {
                if let Some(half) = half.take() {
                    return Poll::Ready(Some(Ok(Frame::data(half))));
                }
                if linger.as_mut().poll(cx).is_pending() {
                    return Poll::Pending;
                }
                Poll::Ready(Some(Err(std::io::Error::other("answer truncated by an injected fault"))))
            }
            State::Endless { head, padding } => {
                let chunk = head.take().unwrap_or_else(|| padding.clone());
                Poll::Ready(Some(Ok(Frame::data(chunk))))
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        match &self.state {
            State::Whole(bytes) => bytes.is_none(),
            State::Slow { rest, .. } => rest.is_empty(),
            State::Truncated { .. } | State::Endless { .. } => false,
        }
    }

    fn size_hint(&self) -> SizeHint {
        match &self.state {
            State::Whole(bytes) => SizeHint::with_exact(bytes.as_ref().map_or(0, |b| b.len() as u64)),
            State::Slow { rest, .. } => SizeHint::with_exact(rest.len() as u64),
            State::Truncated { .. } | State::Endless { .. } => SizeHint::default(),
        }
    }
}
