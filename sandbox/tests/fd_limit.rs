//! Out of file descriptors, the accept loop backs off instead of spinning,
//! and serves again once descriptors are free. Its own test binary: it
//! lowers the open-file limit of the whole process.

#![cfg(target_os = "linux")]

mod common;

use std::net::TcpStream;
use std::time::{Duration, Instant};

use common::*;
use ofdkit_sandbox::{Sandbox, SandboxConfig};

fn open_file_limit() -> libc::rlimit {
    let mut limit = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: getrlimit writes only the struct given.
    assert_eq!(unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) }, 0);
    limit
}

fn set_open_file_limit(limit: libc::rlimit) {
    // SAFETY: setrlimit reads only the struct given.
    assert_eq!(unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &limit) }, 0);
}

/// CPU time this process has used, all threads.
fn cpu_time() -> Duration {
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: getrusage writes only the struct given.
    assert_eq!(unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) }, 0);
    let micros = |t: libc::timeval| Duration::from_micros(t.tv_sec as u64 * 1_000_000 + t.tv_usec as u64);
    micros(usage.ru_utime) + micros(usage.ru_stime)
}

/// A TCP socket made now and connected later: connecting it then needs no
/// new descriptor.
fn unconnected_socket() -> libc::c_int {
    // SAFETY: plain socket creation; the descriptor is owned by the caller.
    let fd = unsafe { libc::socket(libc::AF_INET, libc::SOCK_STREAM, 0) };
    assert!(fd >= 0, "{}", std::io::Error::last_os_error());
    fd
}

fn connect(fd: libc::c_int, port: u16) -> TcpStream {
    let address = libc::sockaddr_in {
        sin_family: libc::AF_INET as libc::sa_family_t,
        sin_port: port.to_be(),
        sin_addr: libc::in_addr { s_addr: u32::from_ne_bytes([127, 0, 0, 1]) },
        sin_zero: [0; 8],
    };
    // SAFETY: the address is a valid sockaddr_in of the length given.
    let connected = unsafe {
        libc::connect(
            fd,
            (&address as *const libc::sockaddr_in).cast(),
            std::mem::size_of::<libc::sockaddr_in>() as libc::socklen_t,
        )
    };
    assert_eq!(connected, 0, "{}", std::io::Error::last_os_error());
    // SAFETY: fd is a connected socket this test owns.
    unsafe { std::os::fd::FromRawFd::from_raw_fd(fd) }
}

#[test]
fn accept_backs_off_at_the_descriptor_limit_and_recovers() {
    const CONNECTIONS: usize = 100;
    const SPARE: libc::rlim_t = 10;
    let sandbox =
        Sandbox::start(SandboxConfig { header_read_timeout: Duration::from_secs(60), ..SandboxConfig::instant() })
            .unwrap();
    let sockets: Vec<libc::c_int> = (0..CONNECTIONS).map(|_| unconnected_socket()).collect();
    let original = open_file_limit();
    let in_use = std::fs::read_dir("/proc/self/fd").unwrap().count() as libc::rlim_t;
    // The server may open SPARE more descriptors; the clients need none.
    set_open_file_limit(libc::rlimit { rlim_cur: in_use + SPARE, rlim_max: original.rlim_max });
    let held: Vec<TcpStream> = sockets.into_iter().map(|fd| connect(fd, sandbox.port())).collect();
    assert!(eventually(Duration::from_secs(2), || sandbox.stats().accept_errors > 0), "accept never failed");
    let accepted = sandbox.stats().connections_accepted;
    assert!(accepted < CONNECTIONS as u64, "every connection was accepted");

    let (errors_before, cpu_before, wall) = (sandbox.stats().accept_errors, cpu_time(), Instant::now());
    std::thread::sleep(Duration::from_secs(1));
    let (errors, cpu, wall) = (sandbox.stats().accept_errors - errors_before, cpu_time() - cpu_before, wall.elapsed());
    eprintln!(
        "at the descriptor limit ({accepted} of {CONNECTIONS} connections accepted): {errors} failed accepts and {cpu:?} of CPU in {wall:?}"
    );
    assert!(errors < 50, "accept was retried {errors} times in {wall:?}");
    assert!(cpu < Duration::from_millis(100), "{cpu:?} of CPU in {wall:?} while nothing could be accepted");

    set_open_file_limit(original);
    // The connections left in the backlog are accepted, and new ones served.
    assert!(
        eventually(Duration::from_secs(3), || sandbox.stats().connections_accepted >= CONNECTIONS as u64),
        "{} of {CONNECTIONS} accepted after the limit was lifted",
        sandbox.stats().connections_accepted
    );
    let mut fresh = send_raw(&sandbox, b"GET /sandbox/stats HTTP/1.1\r\nHost: x\r\n\r\n");
    assert_eq!(read_answer(&mut fresh, Duration::from_secs(3)).expect("served after the limit").status, 200);
    drop(held);
}
