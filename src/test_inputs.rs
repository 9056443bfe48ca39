//! Seeded awkward inputs for the parsers' no-panic sweeps (`examples/fuzz.rs` runs a million).

/// `count` strings built from `alphabet`, up to `max_len - 1` pieces each, from `seed`:
/// the same ones every run, so a failure can be replayed.
pub fn awkward_strings<'a>(
    alphabet: &'a [&'a str],
    mut seed: u64,
    count: usize,
    max_len: u64,
) -> impl Iterator<Item = String> + 'a {
    (0..count).map(move |_| {
        let mut s = String::new();
        for _ in 0..(seed % max_len) {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            s.push_str(alphabet[(seed >> 33) as usize % alphabet.len()]);
        }
        s
    })
}
