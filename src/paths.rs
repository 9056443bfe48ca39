//! Where dockpit keeps its files and how it creates them: its folders `0700`, its files
//! `0600`, never through a symlink, and a saved file is always a new file (nothing is
//! truncated or replaced). Base folders come from the XDG rules (`dirs`); without `HOME` or
//! `XDG_*` dockpit uses a private folder of its own under the temp folder, never the shared
//! temp folder itself.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

const APP: &str = "dockpit";

/// `$XDG_STATE_HOME/dockpit` (`~/.local/state/dockpit`): the log file.
pub fn state_dir() -> PathBuf {
    dirs::state_dir()
        .or_else(dirs::data_local_dir)
        .map(|d| d.join(APP))
        .unwrap_or_else(private_temp)
}

/// `$XDG_DATA_HOME/dockpit` (`~/.local/share/dockpit`): saved logs.
pub fn data_dir() -> PathBuf {
    dirs::data_dir()
        .map(|d| d.join(APP))
        .unwrap_or_else(private_temp)
}

/// `/tmp/dockpit-<uid>`: checked by [`private_dir`] before use, as tmux and ssh-agent do.
fn private_temp() -> PathBuf {
    std::env::temp_dir().join(format!("{APP}-{}", uid()))
}

fn uid() -> u32 {
    rustix::process::getuid().as_raw()
}

/// Creates `dir` (and missing parents) `0700`, then makes sure it is a real folder (not a
/// symlink) owned by this user that no one else can use: read or search permission for others
/// is taken away; a folder of another user, one others can write to, or a symlink, is
/// refused.
pub fn private_dir(dir: &Path) -> io::Result<()> {
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)?;
    let meta = std::fs::symlink_metadata(dir)?;
    if meta.file_type().is_symlink() || !meta.is_dir() {
        return Err(io::Error::other(format!(
            "{} is not a folder (a symlink?); refused",
            dir.display()
        )));
    }
    if meta.uid() != uid() {
        return Err(io::Error::other(format!(
            "{} belongs to another user; refused",
            dir.display()
        )));
    }
    // Writable by others (the shared temp folder, say): not ours to tighten.
    if meta.mode() & 0o022 != 0 {
        return Err(io::Error::other(format!(
            "{} can be written by other users; refused",
            dir.display()
        )));
    }
    if meta.mode() & 0o077 != 0 {
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

/// Options for a file only this user can read, opened without following a symlink.
fn private_file() -> OpenOptions {
    let mut options = OpenOptions::new();
    options
        .mode(0o600)
        .custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32);
    options
}

/// Opens the log file for appending: created `0600` if new; a symlink, another user's file
/// or anything but a regular file is refused.
pub fn open_log(path: &Path) -> io::Result<File> {
    let file = private_file().create(true).append(true).open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() || meta.uid() != uid() {
        return Err(io::Error::other(format!(
            "{} is not a regular file of this user; refused",
            path.display()
        )));
    }
    if meta.mode() & 0o077 != 0 {
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(file)
}

/// A new file, `0600`; fails if anything (a file, a symlink) is already at `path`.
pub fn create_new(path: &Path) -> io::Result<File> {
    private_file().write(true).create_new(true).open(path)
}

/// Saves `text` as a new file in the private folder `dir`, named `stem.ext`, or `stem-2.ext`,
/// `stem-3.ext`… when that exists. Answers the path written.
pub fn save_new(dir: &Path, stem: &str, ext: &str, text: &str) -> io::Result<PathBuf> {
    private_dir(dir)?;
    write_new(dir, stem, ext, text)
}

/// The same in a folder the user chose: made `0700` if missing, but an existing folder's
/// permissions are the user's business and stay as they are. The file is new and `0600`.
pub fn save_new_in(dir: &Path, stem: &str, ext: &str, text: &str) -> io::Result<PathBuf> {
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    if !dir.exists() {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)?;
    }
    write_new(dir, stem, ext, text)
}

fn write_new(dir: &Path, stem: &str, ext: &str, text: &str) -> io::Result<PathBuf> {
    for n in 1..1000 {
        let name = if n == 1 {
            format!("{stem}.{ext}")
        } else {
            format!("{stem}-{n}.{ext}")
        };
        let path = dir.join(name);
        match create_new(&path) {
            Ok(mut file) => {
                file.write_all(text.as_bytes())?;
                file.sync_all()?;
                return Ok(path);
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::other("too many saved files of that name"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("dockpit-paths-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("mkdir");
        dir
    }

    fn mode(path: &Path) -> u32 {
        std::fs::symlink_metadata(path).expect("meta").mode() & 0o777
    }

    #[test]
    fn a_folder_the_user_chose_keeps_its_permissions() {
        let dir = scratch("chosen");
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        let saved = save_new_in(&dir, "web", "log", "hello").expect("saved");
        assert_eq!(mode(&dir), 0o755, "an existing folder is left as it is");
        assert_eq!(mode(&saved), 0o600);
        let again = save_new_in(&dir, "web", "log", "again").expect("saved");
        assert!(again.ends_with("web-2.log"), "{again:?}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn saving_never_follows_a_symlink_nor_replaces_a_file() {
        let root = scratch("save");
        let dir = root.join("saved");
        private_dir(&dir).expect("private");
        assert_eq!(mode(&dir), 0o700);
        // Something precious the attacker's symlink points at, and an existing save.
        let precious = root.join("precious");
        std::fs::write(&precious, "keep").expect("write");
        std::os::unix::fs::symlink(&precious, dir.join("web.log")).expect("symlink");
        let path = save_new(&dir, "web", "log", "new text").expect("saved");
        assert_eq!(path, dir.join("web-2.log"));
        assert_eq!(std::fs::read_to_string(&precious).expect("read"), "keep");
        assert_eq!(mode(&path), 0o600);
        let again = save_new(&dir, "web", "log", "more").expect("saved");
        assert_eq!(again, dir.join("web-3.log"));
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "new text");
        std::fs::remove_dir_all(&root).expect("cleanup");
    }

    #[test]
    fn a_symlinked_or_shared_folder_is_not_used() {
        let root = scratch("dir");
        let elsewhere = root.join("elsewhere");
        std::fs::create_dir(&elsewhere).expect("mkdir");
        let link = root.join("link");
        std::os::unix::fs::symlink(&elsewhere, &link).expect("symlink");
        assert!(private_dir(&link).is_err(), "a symlinked folder is refused");
        // A folder of ours that others could read is tightened; one they can write is not
        // private and is refused, as is the shared temp folder itself.
        let loose = root.join("loose");
        std::fs::create_dir(&loose).expect("mkdir");
        std::fs::set_permissions(&loose, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        private_dir(&loose).expect("ours");
        assert_eq!(mode(&loose), 0o700);
        std::fs::set_permissions(&loose, std::fs::Permissions::from_mode(0o777)).expect("chmod");
        assert!(private_dir(&loose).is_err());
        assert!(private_dir(&std::env::temp_dir()).is_err());
        std::fs::remove_dir_all(&root).expect("cleanup");
    }

    #[test]
    fn the_log_file_is_private_and_never_a_symlink() {
        let root = scratch("log");
        let path = root.join("dockpit.log");
        open_log(&path).expect("created");
        assert_eq!(mode(&path), 0o600);
        let target = root.join("target");
        std::fs::write(&target, "").expect("write");
        let link = root.join("link.log");
        std::os::unix::fs::symlink(&target, &link).expect("symlink");
        assert!(open_log(&link).is_err(), "a symlinked log file is refused");
        std::fs::remove_dir_all(&root).expect("cleanup");
    }
}

/// Completes a typed local path as a shell's Tab does: the longest common start of the
/// names in its folder that begin with what follows its last `/` (a folder alone gets its
/// `/`). `names` lists a folder as (name, is a folder). Answers the completed path and the
/// names that matched (none: nothing to complete).
pub fn complete(
    typed: &str,
    names: impl FnOnce(&Path) -> Vec<(String, bool)>,
) -> (String, Vec<String>) {
    let (folder, start) = match typed.rfind('/') {
        Some(at) => (&typed[..=at], &typed[at + 1..]),
        None => ("", typed),
    };
    let dir = match folder {
        "" => Path::new("."),
        f => Path::new(f),
    };
    let mut found: Vec<(String, bool)> = names(dir)
        .into_iter()
        // Hidden names only when asked for, as shells do.
        .filter(|(n, _)| n.starts_with(start) && (start.starts_with('.') || !n.starts_with('.')))
        .collect();
    found.sort();
    let Some((first, _)) = found.first() else {
        return (typed.to_string(), Vec::new());
    };
    let common = found.iter().fold(first.clone(), |common, (name, _)| {
        common
            .chars()
            .zip(name.chars())
            .take_while(|(a, b)| a == b)
            .map(|(a, _)| a)
            .collect()
    });
    let mut completed = format!("{folder}{common}");
    if let [(_, true)] = found.as_slice() {
        completed.push('/');
    }
    let names = found
        .into_iter()
        .map(|(n, dir)| if dir { format!("{n}/") } else { n })
        .collect();
    (completed, names)
}

/// The names in a folder of this machine, each with whether it is a folder (a link to
/// one counts), for [`complete`]; an unreadable folder has none.
pub fn folder_names(dir: &Path) -> Vec<(String, bool)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .flatten()
        .take(10_000)
        .map(|e| {
            let folder = std::fs::metadata(e.path()).is_ok_and(|m| m.is_dir());
            (e.file_name().to_string_lossy().into_owned(), folder)
        })
        .collect()
}

#[cfg(test)]
mod complete_tests {
    use super::*;

    fn names(_: &Path) -> Vec<(String, bool)> {
        [
            ("notes.txt", false),
            ("notes-old.txt", false),
            ("src", true),
            (".hidden", false),
        ]
        .iter()
        .map(|(n, d)| (n.to_string(), *d))
        .collect()
    }

    #[test]
    fn tab_completes_the_common_start_and_a_folder_gets_its_slash() {
        assert_eq!(complete("./no", names).0, "./notes");
        assert_eq!(complete("./no", names).1, ["notes-old.txt", "notes.txt"]);
        assert_eq!(
            complete("s", names),
            ("src/".to_string(), vec!["src/".to_string()])
        );
        assert_eq!(complete("/x/zz", names), ("/x/zz".to_string(), Vec::new()));
        assert_eq!(complete("./.h", names).0, "./.hidden");
        assert!(!complete("./", names).1.contains(&".hidden".to_string()));
    }
}
