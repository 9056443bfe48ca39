//! The layered test image's layers, bottom first: the step that made each and its entries
//! `(path, kind, size or link target)`, f file, d folder, l symlink, h hard link. One table
//! for the tests against the engine (`tests/common/layers.rs`) and the layers view's unit
//! tests (`src/app/layers/tests.rs`, through `#[path]`): an integration test cannot see
//! `cfg(test)` code, and test data does not belong in the library.

/// The file of 10 MiB the second layer adds and the third removes by a whiteout.
pub const BIG: &str = "10485760";

pub type Entries = &'static [(&'static str, char, &'static str)];

pub const LAYERS: [(&str, Entries); 3] = [
    (
        "ADD base",
        &[
            ("bin/", 'd', ""),
            ("bin/busybox", 'f', "4000"),
            ("bin/sh", 'l', "busybox"),
            ("bin/ash", 'h', "bin/busybox"),
            ("etc/", 'd', ""),
            ("etc/conf", 'f', "300"),
            ("data/", 'd', ""),
            ("data/old", 'f', "50"),
        ],
    ),
    ("RUN head -c 10M > /big", &[("big", 'f', BIG)]),
    (
        "RUN rm /big && rebuild /data && edit conf",
        &[
            (".wh.big", 'f', "0"),
            ("data/", 'd', ""),
            ("data/.wh..wh..opq", 'f', "0"),
            ("data/new", 'f', "7"),
            ("etc/conf", 'f', "400"),
        ],
    ),
];
