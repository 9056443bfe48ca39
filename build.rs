//! How release binaries are linked, for a smaller resident set (issue 24: RSS at rest):
//! - on glibc Linux, relative relocations are packed (DT_RELR, `-z pack-relative-relocs`):
//!   the position-independent binary's table of them, which the loader reads whole at start
//!   and which then stays resident, shrinks to a few KiB. Needs glibc ≥ 2.36 where the binary
//!   runs (the linker records it as a version dependency), so only where the glibc built
//!   against has it;
//! - with rustc's own LLD (x86_64 Linux's default linker since Rust 1.90), the functions that
//!   run at start and at rest (`.cargo/hot-symbols.txt`, made by `tests/hot_symbols.sh`) are
//!   laid out together: the kernel maps code 64 KiB around each page a process touches, so
//!   ~2 MiB of code spread over all of `.text` kept most of it resident. A name the build no
//!   longer has is skipped, so a stale list costs memory, never correctness.
//!
//! Here and not in `.cargo/config.toml`'s rustflags: only the final link changes, so no
//! dependency is built again.
fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=.cargo/hot-symbols.txt");
    let var = |name: &str| std::env::var(name).unwrap_or_default();
    if var("PROFILE") != "release" {
        return;
    }
    if var("CARGO_CFG_TARGET_OS") == "linux"
        && var("CARGO_CFG_TARGET_ENV") == "gnu"
        && var("TARGET") == var("HOST")
        && glibc_packs_relocations()
    {
        println!("cargo::rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    }
    // GNU ld knows no ordering file: only where rustc links with its LLD unasked.
    let flags = var("CARGO_ENCODED_RUSTFLAGS");
    let own_linker = ["linker", "link-self-contained", "fuse-ld"]
        .iter()
        .any(|f| flags.contains(f))
        || !var("RUSTC_LINKER").is_empty();
    let list = format!("{}/.cargo/hot-symbols.txt", var("CARGO_MANIFEST_DIR"));
    // Not packaged: a build without the list links as before.
    let listed = std::path::Path::new(&list).exists();
    if var("TARGET") == "x86_64-unknown-linux-gnu" && !own_linker && listed {
        println!("cargo::rustc-link-arg-bins=-Wl,--symbol-ordering-file={list}");
        println!("cargo::rustc-link-arg-bins=-Wl,--no-warn-symbol-ordering");
    }
}

/// Whether the glibc built against reads packed relocations (2.36 and later define the
/// version `GLIBC_ABI_DT_RELR`): a binary built on an older one links as before, so it never
/// asks its loader for what that loader cannot do.
fn glibc_packs_relocations() -> bool {
    const LIBCS: [&str; 4] = [
        "/lib/x86_64-linux-gnu/libc.so.6",
        "/lib/aarch64-linux-gnu/libc.so.6",
        "/lib64/libc.so.6",
        "/usr/lib64/libc.so.6",
    ];
    let needle = b"GLIBC_ABI_DT_RELR";
    LIBCS.iter().any(|path| {
        std::fs::read(path).is_ok_and(|libc| libc.windows(needle.len()).any(|w| w == needle))
    })
}
