//! The files view (`f` on a container, `:files [PATH]`): the container's filesystem folder by
//! folder, read through the archive endpoint as `docker cp` reads it (so a stopped container
//! too). Rows arrive as the folder's tar streams in; Enter opens a folder or reads a file,
//! Backspace goes up; a file or folder downloads to this machine (asking before it replaces
//! anything), a local one uploads into the folder shown; `c` shows the container's changes
//! (`docker diff`).

use std::cmp::Ordering;

use crossterm::event::KeyEvent;

use super::App;
use super::dialog::{Confirm, ConfirmKind, Dialog, Form};
use super::effects::{Effects, Routed};
use super::inspect::Tab;
use super::keymap::FilesAction;
use super::list::{Column, Hosted, Kind, List, Width, by_text};
use super::room::{Overlay, Room};
use super::view::{Ctx, Outcome, View};
use crate::docker::files::{Answer, Entry, Kind as EntryKind, Request};
use crate::docker::inspect::InspectTarget;
use crate::docker::{Command, HostId, Op, OpId, StreamId, Target};
use crate::format::{human_size, inert};

/// An entry of the folder shown and its path (its key: `y` copies it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRow {
    pub path: String,
    pub entry: Entry,
}

/// The files kind: a container's folder; the path is in the title, a file's text in the
/// reader over the list.
#[derive(Debug, Clone)]
pub struct Files {
    /// The view's own id (its probes' answers); the room's id is the current listing's
    /// (each listing has a fresh one), so a late answer for a folder left behind is dropped.
    base: StreamId,
    pub container: Target,
    /// The folder shown: absolute, without a trailing slash (but `/`).
    pub path: String,
    /// Entries of the folder's whole tree read so far (the archive holds its subfolders too).
    pub read: usize,
    /// The listing ended (done or failed): the title stops counting.
    done: bool,
    /// The row to select once it is listed (the folder just left, going up), by name.
    select: Option<String>,
    /// A download or upload form submitted, while this machine is looked at: a refusal
    /// opens it again with the reason under the field, the input kept.
    submitted: Option<Form>,
}

/// `name` in `folder`.
pub fn join(folder: &str, name: &str) -> String {
    match folder {
        "/" => format!("/{name}"),
        folder => format!("{folder}/{name}"),
    }
}

/// A folder's parent and its name in it (`None` for `/`).
pub fn parent(path: &str) -> Option<(String, String)> {
    let path = path.trim_end_matches('/');
    let (up, name) = path.rsplit_once('/')?;
    let up = if up.is_empty() { "/" } else { up };
    Some((up.to_string(), name.to_string()))
}

/// A typed path made absolute (a container's paths start at `/`).
pub fn absolute(path: &str) -> String {
    let path = path.trim();
    let path = path.trim_end_matches('/');
    match path.strip_prefix('/') {
        Some(_) => path.to_string(),
        None if path.is_empty() => "/".to_string(),
        None => format!("/{path}"),
    }
}

/// `drwxr-xr-x`, as `ls -l` writes a mode.
pub fn mode_text(kind: EntryKind, mode: u32) -> String {
    let kind = match kind {
        EntryKind::Folder => 'd',
        EntryKind::Link => 'l',
        EntryKind::File => '-',
        EntryKind::Other => '?',
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

/// Folders first, then by name (the order listed, and the NAME column's).
fn by_name(a: &FileRow, b: &FileRow) -> Ordering {
    let folder = |r: &FileRow| r.entry.kind != EntryKind::Folder;
    (folder(a).cmp(&folder(b))).then_with(|| by_text(&a.entry.name, &b.entry.name))
}

impl Files {
    fn new(base: StreamId, container: Target) -> Self {
        Self {
            base,
            container,
            path: "/".into(),
            read: 0,
            done: false,
            select: None,
            submitted: None,
        }
    }

    /// Its container gone and another listed under its name on its host (re-created by
    /// Compose or a re-run): the new one is read from now on, and the status line says so.
    fn follow_recreated(&mut self, host: HostId, cx: &mut Ctx) {
        let on_host = || {
            cx.containers
                .iter()
                .map(|r| &r.row)
                .filter(|c| c.host == host)
        };
        if on_host().any(|c| c.id == self.container.id) {
            return;
        }
        if let Some(new) = on_host().find(|c| c.name == self.container.name) {
            let id = new.id.clone();
            cx.activity.note(format!(
                "{} was re-created: reading the new container ({})",
                self.container.name,
                crate::format::short_id(id.as_str())
            ));
            self.container.id = id;
        }
    }
}

impl Kind for Files {
    type Row = FileRow;
    type Action = FilesAction;
    const TITLE: &'static str = "Files";
    const HOSTED: bool = false;

    /// "Files · web:/etc", and how many entries are read while the folder streams in.
    fn title(&self) -> String {
        let mut title = format!(
            "Files · {}:{}",
            inert(&self.container.name),
            inert(&self.path)
        );
        if !self.done && self.read > 0 {
            title.push_str(&format!(" · {} entries read", self.read));
        }
        title
    }

    fn columns(&self) -> Vec<Column<FileRow>> {
        vec![
            Column::new("NAME", Width::Content(40), 0).sorts(by_name),
            Column::new("SIZE", Width::Fixed(9), 1).sorts(|a, b| a.entry.size.cmp(&b.entry.size)),
            Column::new("MODE", Width::Fixed(10), 2),
            Column::new("LINK", Width::Grow(12), 3),
        ]
    }

    fn id(row: &FileRow) -> &str {
        &row.path
    }

    fn name(row: &FileRow) -> &str {
        &row.entry.name
    }

    fn id_noun() -> &'static str {
        "path"
    }

    fn cells(&self, row: &FileRow) -> Vec<String> {
        let e = &row.entry;
        let (name, size) = match e.kind {
            EntryKind::Folder => (format!("{}/", e.name), "—".into()),
            EntryKind::File => (
                e.name.clone(),
                human_size(i64::try_from(e.size).unwrap_or(i64::MAX)),
            ),
            _ => (e.name.clone(), "—".into()),
        };
        let link = (e.link.as_deref()).map_or_else(String::new, |l| format!("→ {l}"));
        vec![name, size, mode_text(e.kind, e.mode), link]
    }

    // No query: its rows come from the folder's streamed listing, not a host's answer.

    fn verb(list: &mut List<Self>, action: FilesAction, cx: &mut Ctx) -> Outcome {
        match action {
            FilesAction::Close => {
                (Outcome::close()).to(list.room.host, Command::StopStream(list.room.id))
            }
            FilesAction::Refresh => {
                list.kind.follow_recreated(list.room.host, cx);
                let select = list.selected().map(|r| r.row.entry.name.clone());
                let path = list.kind.path.clone();
                Outcome::stay().with(list.go(path, select))
            }
            FilesAction::Up => match parent(&list.kind.path) {
                Some((up, name)) => Outcome::stay().with(list.go(up, Some(name))),
                None => nothing(cx, "at the top: / has no parent"),
            },
            FilesAction::Open => list.open(cx),
            // One path a form: marks would be left out unsaid.
            FilesAction::Download if !list.marks.is_empty() => nothing(
                cx,
                "a download takes one file or folder: Esc clears the marks",
            ),
            FilesAction::Download => {
                // A download only reads the container: read-only mode allows it.
                let form = Form::download(list.kind.container.clone(), list.selected_path());
                let dialog = Dialog::Form(form).on(list.room.host);
                list.room.overlay = Some(Overlay::Dialog(dialog));
                Outcome::stay()
            }
            FilesAction::Upload => {
                let form = Form::upload(list.kind.container.clone(), list.kind.path.clone());
                list.room.ask(Dialog::Form(form), cx)
            }
            FilesAction::Changes => {
                let target = InspectTarget::Container(list.kind.container.id.clone());
                let name = list.kind.container.name.clone();
                list.inspect_tab(name, target, Tab::Changes)
            }
        }
    }

    /// A copy submitted first looks at this machine: what a download would overwrite
    /// (asked about), a folder or file that is not there (the form opens again).
    fn overlay_key(list: &mut List<Self>, key: &KeyEvent, cx: &mut Ctx) -> Option<Outcome> {
        let form = match &list.room.overlay {
            Some(Overlay::Dialog(Dialog::Form(form))) => Some(form.clone()),
            _ => None,
        };
        let mut outcome = list.room.overlay_key(key, cx)?;
        if let [
            op @ (Op::CopyFrom {
                overwrite: false, ..
            }
            | Op::CopyTo { .. }),
        ] = outcome.ops.as_slice()
        {
            let request = Request::Probe(op.clone());
            outcome.ops.clear();
            list.kind.submitted = form;
            let id = list.kind.base;
            outcome = outcome.to(list.room.host, Command::Files { id, request });
        }
        Some(outcome)
    }
}

impl List<Files> {
    /// Lists `path` (stopping the listing under way), selecting `select` once it shows.
    pub fn go(&mut self, path: String, select: Option<String>) -> Vec<Routed> {
        let stop = Command::StopStream(self.room.id);
        let id = StreamId::fresh();
        self.room.id = id;
        self.room.loading = true;
        self.room.error = None;
        self.room.cursor = Default::default();
        // Another folder: the filter and the marks were for this one's entries.
        self.room.filter = Default::default();
        self.marks.clear();
        self.rows.clear();
        self.kind.path = path.clone();
        self.kind.read = 0;
        self.kind.done = false;
        self.kind.select = select;
        let list = Command::Files {
            id,
            request: Request::List {
                container: self.kind.container.clone(),
                path,
            },
        };
        vec![(self.room.host, stop), (self.room.host, list)]
    }

    /// An answer for this view: the downloads it lets start (nothing to overwrite).
    pub fn files_answer(&mut self, answer: Answer, height: usize) -> (Effects, Vec<Op>) {
        match answer {
            Answer::Rows { rows, read } => {
                self.kind.read = read;
                self.rows_came(rows, height);
            }
            Answer::Done { read } => {
                self.kind.read = read;
                self.kind.done = true;
                self.room.loading = false;
            }
            Answer::Failed(e) => {
                self.kind.done = true;
                self.room.answered::<()>(Err(e));
            }
            // A link to a file: read it, and show the folder it is in again.
            Answer::NotFolder(path) => {
                let (up, name) = parent(&path).unwrap_or(("/".into(), String::new()));
                let mut effects = Effects::from(self.go(up, Some(name)));
                effects.extend(self.read_file(path).effects);
                return (effects, Vec::new());
            }
            Answer::Refused { op, why } => match self.kind.submitted.take() {
                Some(mut form) => {
                    form.error = Some((0, why));
                    form.touched = true;
                    self.room.overlay = Some(Overlay::Dialog(Dialog::Form(form)));
                }
                // No form to show it in: the copy runs and fails in its own words.
                None => return (Effects::default(), vec![op]),
            },
            Answer::Probed {
                op,
                clash: None,
                large: None,
            } => {
                self.kind.submitted = None;
                return (Effects::default(), vec![op]);
            }
            Answer::Probed { op, clash, large } => self.ask_download(op, clash, large),
        }
        (Effects::default(), Vec::new())
    }

    /// A folder's rows as they stream in: folders first, the cursor on the row it was to
    /// select (the folder just left), else on the first until the user moves it.
    fn rows_came(&mut self, entries: Vec<Entry>, height: usize) {
        let host = self.room.host;
        let mut rows = std::mem::take(&mut self.rows);
        rows.extend(entries.into_iter().map(|entry| Hosted {
            host,
            row: FileRow {
                path: join(&self.kind.path, &entry.name),
                entry,
            },
        }));
        rows.sort_by(|a, b| by_name(&a.row, &b.row));
        let select = self.kind.select.as_deref();
        if let Some(row) = rows
            .iter()
            .find(|r| Some(r.row.entry.name.as_str()) == select)
        {
            self.room.cursor.follow(row.key::<Files>().text());
            self.kind.select = None;
        }
        self.replace(rows, height, &[]);
    }

    /// A download that would overwrite a file here, or is large: asked first.
    fn ask_download(&mut self, op: Op, clash: Option<String>, large: Option<String>) {
        let Op::CopyFrom {
            container,
            path,
            dest,
            ..
        } = op
        else {
            return;
        };
        let op = Op::CopyFrom {
            container,
            path,
            dest,
            overwrite: true,
        };
        let title = match clash {
            Some(_) => " Overwrite? ",
            None => " Download? ",
        };
        // The dialog shows the docker cp line itself.
        let lines = clash.into_iter().chain(large).collect();
        let confirm = Confirm::new(title, ConfirmKind::Actions(vec![op]), lines);
        let dialog = Dialog::Confirm(confirm).on(self.room.host);
        self.room.overlay = Some(Overlay::Dialog(dialog));
    }

    /// Inspect over the list, on this tab (a file in the reader, the container's changes).
    fn inspect_tab(&mut self, title: String, target: InspectTarget, tab: Tab) -> Outcome {
        let outcome = self.room.inspect(title, target);
        if let Some(Overlay::Inspect(v)) = &mut self.room.overlay {
            v.tab = tab;
        }
        outcome
    }

    fn read_file(&mut self, path: String) -> Outcome {
        let target = InspectTarget::File {
            container: self.kind.container.clone(),
            path: path.clone(),
        };
        let title = format!("{}:{path}", self.kind.container.name);
        self.inspect_tab(title, target, Tab::File)
    }

    /// `Enter`: a folder (or a link to one) opens, a file is read.
    fn open(&mut self, cx: &mut Ctx) -> Outcome {
        let Some(row) = self.selected().map(|r| r.row.clone()) else {
            return nothing(
                cx,
                match self.room.loading {
                    true => "nothing listed yet: the folder is still being read",
                    false => "no file selected (the folder is empty)",
                },
            );
        };
        match row.entry.kind {
            EntryKind::Folder | EntryKind::Link => Outcome::stay().with(self.go(row.path, None)),
            EntryKind::File => self.read_file(row.path),
            EntryKind::Other => nothing(
                cx,
                &format!("{} is a device, fifo or socket: no text to read", row.path),
            ),
        }
    }

    /// The selected entry's path, else the folder's.
    fn selected_path(&self) -> String {
        match self.selected() {
            Some(row) => row.row.path.clone(),
            None => self.kind.path.clone(),
        }
    }
}

fn nothing(cx: &mut Ctx, why: &str) -> Outcome {
    cx.activity.refuse(why.to_string());
    Outcome::stay()
}

impl Outcome {
    /// These commands for the Docker tasks too.
    fn with(mut self, commands: Vec<Routed>) -> Self {
        self.effects.extend(commands);
        self
    }
}

impl App {
    /// `f`, `:files [PATH]`: the selected container's files, from `/` or `path`.
    pub(super) fn open_files(&mut self, path: Option<&str>) -> Vec<Routed> {
        let Some(row) = self.container_or_refuse() else {
            return Vec::new();
        };
        let base = self.view_id();
        let files = Files::new(base, Target::from(&row));
        let mut list = List::new(files, Room::new(base, row.host));
        let commands = list.go(absolute(path.unwrap_or("/")), None);
        self.view = Some(View::List(Box::new(list)));
        // Nothing was listed under the new id yet: only the listing goes out.
        commands
            .into_iter()
            .filter(|(_, c)| !matches!(c, Command::StopStream(_)))
            .collect()
    }

    /// A files view's answer, to the view still open on that listing.
    pub(super) fn files_answer(&mut self, id: StreamId, answer: Answer) -> Effects {
        let height = crate::layout::view_page(&self.areas());
        let Some(list) = self.view.as_mut().and_then(View::list_of_mut::<Files>) else {
            return Effects::default();
        };
        // Listings answer under the listing's id, a download's look under the view's.
        let probe = matches!(answer, Answer::Probed { .. } | Answer::Refused { .. });
        if (probe && id != list.kind.base) || (!probe && id != list.room.id) {
            return Effects::default();
        }
        let host = list.room.host;
        let (mut effects, ops) = list.files_answer(answer, height);
        if !ops.is_empty() {
            effects.extend(self.submit_on(Some(host), ops));
        }
        effects
    }

    /// An action ended: an upload into the folder shown lists it again.
    pub(super) fn files_copied(&mut self, id: OpId) -> Vec<Routed> {
        let Some(list) = self.view.as_mut().and_then(View::list_of_mut::<Files>) else {
            return Vec::new();
        };
        let uploaded_here = self.activity.get(id).is_some_and(|e| {
            matches!(&e.op, Op::CopyTo { container, dir, .. }
                    if container.id == list.kind.container.id && *dir == list.kind.path)
        });
        match uploaded_here && list.room.overlay.is_none() {
            true => {
                let select = list.selected().map(|r| r.row.entry.name.clone());
                let path = list.kind.path.clone();
                list.go(path, select)
            }
            false => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_join_and_climb() {
        assert_eq!(join("/", "etc"), "/etc");
        assert_eq!(join("/etc", "ssl"), "/etc/ssl");
        assert_eq!(parent("/etc/ssl"), Some(("/etc".into(), "ssl".into())));
        assert_eq!(parent("/etc"), Some(("/".into(), "etc".into())));
        assert_eq!(parent("/"), None);
        assert_eq!(absolute("etc/"), "/etc");
        assert_eq!(absolute(""), "/");
        assert_eq!(absolute("/var/log"), "/var/log");
    }

    #[test]
    fn modes_read_as_ls_writes_them() {
        assert_eq!(mode_text(EntryKind::Folder, 0o755), "drwxr-xr-x");
        assert_eq!(mode_text(EntryKind::File, 0o644), "-rw-r--r--");
        assert_eq!(mode_text(EntryKind::Link, 0o777), "lrwxrwxrwx");
        assert_eq!(mode_text(EntryKind::File, 0o4755), "-rwsr-xr-x");
        assert_eq!(mode_text(EntryKind::Folder, 0o1777), "drwxrwxrwt");
    }
}
