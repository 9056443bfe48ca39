//! The files view: a container's folder (name, size, mode, link target), folders first, with
//! the reader, a form or a question over it.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::widgets::Cell;

use super::room::{self, sized};
use super::table::{column, grows};
use crate::app::App;
use crate::app::files::FilesView;
use crate::docker::files::{Entry, Kind};
use crate::format::{human_size, inert};

/// `drwxr-xr-x`, as `ls -l` writes a mode.
pub fn mode_text(kind: Kind, mode: u32) -> String {
    let kind = match kind {
        Kind::Folder => 'd',
        Kind::Link => 'l',
        Kind::File => '-',
        Kind::Other => '?',
    };
    let mut out = String::from(kind);
    for (shift, special, set, unset) in [
        (6, 0o4000, 's', 'S'),
        (3, 0o2000, 's', 'S'),
        (0, 0o1000, 't', 'T'),
    ] {
        let bits = (mode >> shift) & 7;
        out.push(if bits & 4 != 0 { 'r' } else { '-' });
        out.push(if bits & 2 != 0 { 'w' } else { '-' });
        out.push(match (bits & 1 != 0, mode & special != 0) {
            (true, true) => set,
            (false, true) => unset,
            (true, false) => 'x',
            (false, false) => '-',
        });
    }
    out
}

fn name(entry: &Entry) -> String {
    match entry.kind {
        Kind::Folder => format!("{}/", inert(&entry.name)),
        _ => inert(&entry.name),
    }
}

pub fn render(frame: &mut Frame, area: Rect, app: &App, view: &FilesView) {
    let rows = view.shown();
    let names: Vec<String> = rows.iter().map(|r| name(r)).collect();
    let columns = [
        sized("NAME", names.iter().map(String::as_str), 40, 0),
        column("SIZE", Constraint::Length(9), 1),
        column("MODE", Constraint::Length(10), 2),
        column("LINK", grows(Constraint::Length(12)), 3),
    ];
    let mut what = format!(
        "Files · {}:{}",
        inert(&view.container.name),
        inert(&view.path)
    );
    if view.room.loading && view.read > 0 {
        what.push_str(&format!(" · {} entries read", view.read));
    }
    room::render(
        frame,
        area,
        app,
        &view.room,
        room::Titled(what, "files".into()),
        columns,
        &rows,
        |r: &&Entry| {
            let size = match r.kind {
                Kind::File => human_size(i64::try_from(r.size).unwrap_or(i64::MAX)),
                _ => "—".into(),
            };
            [
                Cell::from(name(r)),
                Cell::from(size),
                Cell::from(mode_text(r.kind, r.mode)),
                Cell::from(
                    r.link
                        .as_deref()
                        .map(|l| format!("→ {}", inert(l)))
                        .unwrap_or_default(),
                ),
            ]
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_read_as_ls_writes_them() {
        assert_eq!(mode_text(Kind::Folder, 0o755), "drwxr-xr-x");
        assert_eq!(mode_text(Kind::File, 0o644), "-rw-r--r--");
        assert_eq!(mode_text(Kind::Link, 0o777), "lrwxrwxrwx");
        assert_eq!(mode_text(Kind::File, 0o4755), "-rwsr-xr-x");
        assert_eq!(mode_text(Kind::Folder, 0o1777), "drwxrwxrwt");
    }
}
