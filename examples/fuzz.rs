//! Throws random input at every parser of outside input and counts what survives: the
//! reference parser, the run form's fields, the key encoder, registry JSON documents, the
//! `WWW-Authenticate` challenge parser and realm rules, log stream framing, the inert-text
//! functions and the clipboard's filter, config.json and context meta files, dockpit's own
//! config file, the terminal emulator's input path, and the tar reader (listing, reader,
//! download unpacking of hostile archives).
//! A panic (or a broken property) fails the run.
//!   cargo run --release --example fuzz [-- INPUTS_PER_TARGET [SEED]]
//! (The suite runs a short sweep of the same targets: `dockpit::fuzz`.)

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args
        .next()
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let seed: u64 = args
        .next()
        .and_then(|a| a.parse().ok())
        .unwrap_or(0x5eed_d0c4_9e17_0001);
    let started = std::time::Instant::now();
    for line in dockpit::fuzz::run(n, seed) {
        println!("{line}");
    }
    println!("seed {seed}, {:.1} s", started.elapsed().as_secs_f64());
}
