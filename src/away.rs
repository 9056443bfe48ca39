//! The last event time seen per host, kept in the state folder between runs
//! (`$XDG_STATE_HOME/dockpit/last-events.json`: host name → time and whether an event said
//! it), so that the next start can ask each daemon what happened while dockpit was closed.
//! Read once before the screen opens; written by the event loop as a local effect.

use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

/// When a host was last seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Kept {
    /// Unix nanoseconds.
    pub time: i64,
    /// An event's time, in the daemon's own clock (the daemon returns that event again when
    /// asked since it); false: this machine's clock when the host answered with no event
    /// seen since (a quiet host still has a time to ask from).
    pub event: bool,
}

/// A file larger than this is not ours to read (a few bytes per host).
const MAX_FILE: u64 = 1024 * 1024;

pub fn path() -> PathBuf {
    crate::paths::state_dir().join("last-events.json")
}

/// The times kept at `path`; none when the file is missing, too large or not what dockpit
/// writes (a first start, or a damaged file, asks for nothing).
pub fn load(path: &Path) -> HashMap<String, Kept> {
    let read = || -> Option<HashMap<String, Kept>> {
        let file = std::fs::File::open(path).ok()?;
        let mut text = String::new();
        file.take(MAX_FILE).read_to_string(&mut text).ok()?;
        serde_json::from_str(&text).ok()
    };
    read().unwrap_or_default()
}

/// Keeps `seen` at `path`: written to a new private file beside it, then renamed over it, so
/// a reader (or a crash) never sees half a file and a symlink at `path` is replaced, never
/// followed.
pub fn keep(path: &Path, seen: &[(String, Kept)]) -> io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    crate::paths::private_dir(dir)?;
    let map: HashMap<&str, Kept> = seen.iter().map(|(h, t)| (h.as_str(), *t)).collect();
    let text = serde_json::to_string(&map).map_err(io::Error::other)?;
    let temp = dir.join(format!(".last-events-{}.json", std::process::id()));
    let _ = std::fs::remove_file(&temp);
    let mut file = crate::paths::create_new(&temp)?;
    // No fsync: this runs on the event loop, and a flush can stall a busy disk for a
    // frame or more; a file lost to a crash only means nothing is asked next start.
    file.write_all(text.as_bytes())?;
    std::fs::rename(&temp, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kept_times_read_back_and_a_damaged_file_reads_as_none() {
        let dir = std::env::temp_dir().join(format!("dockpit-away-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let path = dir.join("state").join("last-events.json");
        assert!(load(&path).is_empty(), "no file: nothing kept");
        let at = |time| Kept { time, event: true };
        keep(&path, &[("prod".into(), at(1_700_000_000_123_456_789))]).expect("kept");
        keep(&path, &[("prod".into(), at(1_700_000_001_000_000_000))]).expect("kept again");
        assert_eq!(
            load(&path).get("prod"),
            Some(&at(1_700_000_001_000_000_000))
        );
        std::fs::write(&path, "{not json").expect("write");
        assert!(load(&path).is_empty());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
