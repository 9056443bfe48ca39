//! The terminal emulator's throughput: bytes through a session's vt100 parser per second,
//! for plain and coloured output. Prints figures; `cargo bench --bench terminal`.

use std::time::Instant;

use dockpit::pty::{Session, SessionKind};

fn measure(label: &str, chunk: &[u8], total: usize) {
    let mut session = Session::new(
        dockpit::pty::SessionId(1),
        "id".into(),
        "web".into(),
        SessionKind::Attach { start: false },
        (40, 120),
    );
    let start = Instant::now();
    let mut fed = 0;
    while fed < total {
        session.output(chunk);
        fed += chunk.len();
    }
    let secs = start.elapsed().as_secs_f64();
    println!("{label:<40} {:>8.1} MB/s", fed as f64 / secs / 1e6);
}

fn main() {
    let plain = b"y\r\n".repeat(10_000);
    measure("yes (3-byte lines)", &plain, 20_000_000);
    let text = b"the quick brown fox jumps over the lazy dog 0123456789\r\n".repeat(600);
    measure("plain text lines", &text, 20_000_000);
    let coloured =
        b"\x1b[1;32mok\x1b[0m \x1b[34mstep\x1b[0m finished in \x1b[33m12ms\x1b[0m\r\n".repeat(600);
    measure("coloured lines (SGR)", &coloured, 20_000_000);
}
