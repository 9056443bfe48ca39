//! The files view (`f` on a container, `:files [PATH]`): the container's filesystem folder by
//! folder, read through the archive endpoint as `docker cp` reads it (so a stopped container
//! too). Rows arrive as the folder's tar streams in; Enter opens a folder or reads a file,
//! Backspace goes up; a file or folder downloads to this machine (asking before it replaces
//! anything), a local one uploads into the folder shown; `c` shows the container's changes
//! (`docker diff`).

use crossterm::event::KeyEvent;

use super::App;
use super::dialog::{Confirm, ConfirmKind, Dialog, Form};
use super::inspect::Tab;
use super::keymap::FilesAction;
use super::room::{Overlay, Room};
use super::view::{Ctx, Outcome, View};
use crate::docker::files::{Answer, Entry, Kind, Request};
use crate::docker::inspect::InspectTarget;
use crate::docker::{Command, Op, OpId, StreamId, Target};

#[derive(Debug, Clone)]
pub struct FilesView {
    /// `room.id` is the current listing's (each listing has a fresh one), so a late answer
    /// for a folder left behind is dropped.
    pub room: Room,
    /// The view's own id (its probes' answers).
    base: StreamId,
    pub container: Target,
    /// The folder shown: absolute, without a trailing slash (but `/`).
    pub path: String,
    /// Folders first, then by name.
    pub rows: Vec<Entry>,
    /// Entries of the folder's whole tree read so far (the archive holds its subfolders too).
    pub read: usize,
    /// The row to select once it is listed (the folder just left, going up).
    select: Option<String>,
    /// The user moved in this listing: until then the first row stays selected as rows
    /// stream in (sorted, a row may arrive above the one at the top).
    moved: bool,
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

impl FilesView {
    pub fn new(base: StreamId, container: Target, host: crate::docker::HostId) -> Self {
        Self {
            room: Room::new(base, host),
            base,
            container,
            path: "/".into(),
            rows: Vec::new(),
            read: 0,
            select: None,
            moved: false,
            submitted: None,
        }
    }

    /// The entries shown: those the filter matches, by name.
    pub fn shown(&self) -> Vec<&Entry> {
        let matches = self.room.filter.matcher(&[]);
        self.rows
            .iter()
            .filter(|r| matches(Default::default(), &[r.name.as_str()]))
            .collect()
    }

    fn shown_keys(&self) -> Vec<String> {
        self.shown().into_iter().map(|r| r.name.clone()).collect()
    }

    pub fn selected(&self) -> Option<&Entry> {
        let name = self.room.cursor.selected.as_deref()?;
        self.rows.iter().find(|r| r.name == name)
    }

    /// Lists `path` (stopping the listing under way), selecting `select` once it shows.
    pub fn go(&mut self, path: String, select: Option<String>) -> Vec<Command> {
        let stop = Command::StopStream(self.room.id);
        let id = StreamId::fresh();
        self.room.id = id;
        self.room.loading = true;
        self.room.error = None;
        self.room.cursor = Default::default();
        // Another folder: the filter was for this one's names.
        self.room.filter = Default::default();
        self.path = path.clone();
        self.rows.clear();
        self.read = 0;
        self.select = select;
        self.moved = false;
        let list = Command::Files {
            id,
            request: Request::List {
                container: self.container.clone(),
                path,
            },
        };
        vec![stop, list]
    }

    /// An answer for this view: the downloads it lets start (nothing to overwrite).
    pub fn answer(&mut self, answer: Answer, height: usize) -> (Vec<Command>, Vec<Op>) {
        match answer {
            Answer::Rows { rows, read } => {
                self.read = read;
                self.rows_came(rows, height);
            }
            Answer::Done { read } => {
                self.read = read;
                self.room.loading = false;
            }
            Answer::Failed(e) => {
                self.room.answered::<()>(Err(e));
            }
            // A link to a file: read it, and show the folder it is in again.
            Answer::NotFolder(path) => {
                let (up, name) = parent(&path).unwrap_or(("/".into(), String::new()));
                let mut commands = self.go(up, Some(name));
                commands.extend(self.read_file(path).effects.docker);
                return (commands, Vec::new());
            }
            Answer::Refused { op, why } => match self.submitted.take() {
                Some(mut form) => {
                    form.error = Some((0, why));
                    form.touched = true;
                    self.room.overlay = Some(Overlay::Dialog(Dialog::Form(form)));
                }
                // No form to show it in: the copy runs and fails in its own words.
                None => return (Vec::new(), vec![op]),
            },
            Answer::Probed {
                op,
                clash: None,
                large: None,
            } => {
                self.submitted = None;
                return (Vec::new(), vec![op]);
            }
            Answer::Probed { op, clash, large } => self.ask_download(op, clash, large),
        }
        (Vec::new(), Vec::new())
    }

    /// A folder's rows as they stream in: folders first, the cursor on the row it was to
    /// select (the folder just left), else on the first until the user moves it.
    fn rows_came(&mut self, rows: Vec<Entry>, height: usize) {
        self.rows.extend(rows);
        self.rows.sort_by(|a, b| {
            (a.kind != Kind::Folder, &a.name).cmp(&(b.kind != Kind::Folder, &b.name))
        });
        if let Some(name) = &self.select
            && self.rows.iter().any(|r| r.name == *name)
        {
            if let Some(name) = self.select.take() {
                self.room.cursor.follow(name);
            }
            self.moved = true;
        } else if !self.moved {
            self.room.cursor.selected = None;
        }
        let keys = self.shown_keys();
        self.room.sync(keys.iter().map(String::as_str), height);
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
        self.room.overlay = Some(Overlay::Dialog(Dialog::Confirm(Confirm {
            title: title.into(),
            // The dialog shows the docker cp line itself.
            lines: clash.into_iter().chain(large).collect(),
            kind: ConfirmKind::Actions(vec![op]),
            choices: vec![],
        })));
    }

    fn read_file(&mut self, path: String) -> Outcome {
        let target = InspectTarget::File {
            container: self.container.clone(),
            path: path.clone(),
        };
        let outcome = self
            .room
            .inspect(format!("{}:{path}", self.container.name), target);
        if let Some(Overlay::Inspect(v)) = &mut self.room.overlay {
            v.tab = Tab::File;
        }
        outcome
    }

    /// Its container gone and another listed under its name on its host (re-created by
    /// Compose or a re-run): the new one is read from now on, and the status line says so.
    fn follow_recreated(&mut self, cx: &mut Ctx) {
        let host = self.room.host;
        let on_host = || cx.containers.iter().filter(|c| c.host == host);
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

    pub fn on_key(&mut self, key: &KeyEvent, cx: &mut Ctx) -> Outcome {
        if let Some(outcome) = self.overlay_key(key, cx) {
            return outcome;
        }
        if self.room.filter_key(key, cx.keymap) {
            let keys = self.shown_keys();
            self.room.sync(keys.iter().map(String::as_str), cx.page);
            self.moved = true;
            return Outcome::stay();
        }
        let Some(action) = cx.keymap.get(key) else {
            let keys = self.shown_keys();
            self.moved |= cx.keymap.nav(key).is_some();
            return self
                .room
                .nav(key, cx, keys.iter().map(String::as_str), "the files view");
        };
        let selected = self.selected().cloned();
        match action {
            FilesAction::Filter => {
                self.room.start_filter();
                Outcome::stay()
            }
            FilesAction::Close if self.room.clear_filter() => {
                let keys = self.shown_keys();
                self.room.sync(keys.iter().map(String::as_str), cx.page);
                Outcome::stay()
            }
            FilesAction::Close => Outcome::close().docker(Command::StopStream(self.room.id)),
            FilesAction::Refresh => {
                self.follow_recreated(cx);
                let select = self.room.cursor.selected.clone();
                Outcome::stay().with(self.go(self.path.clone(), select))
            }
            FilesAction::Up => match parent(&self.path) {
                Some((up, name)) => Outcome::stay().with(self.go(up, Some(name))),
                None => {
                    cx.activity.refuse("at the top: / has no parent");
                    Outcome::stay()
                }
            },
            FilesAction::Open => self.open(selected, cx),
            FilesAction::Download => {
                // A download only reads the container: read-only mode allows it.
                let form = Form::download(self.container.clone(), self.selected_path());
                self.room.overlay = Some(Overlay::Dialog(Dialog::Form(form)));
                Outcome::stay()
            }
            FilesAction::Upload => {
                let form = Form::upload(self.container.clone(), self.path.clone());
                self.room.ask(Dialog::Form(form), cx)
            }
            FilesAction::Changes => {
                let target = InspectTarget::Container(self.container.id.clone());
                let outcome = self.room.inspect(self.container.name.clone(), target);
                if let Some(Overlay::Inspect(v)) = &mut self.room.overlay {
                    v.tab = Tab::Changes;
                }
                outcome
            }
            FilesAction::CopyPath => {
                super::effects::copy(cx.activity, "the path", &self.selected_path())
            }
        }
    }

    /// A key for the dialog or inspect over the view. A copy submitted first looks at this
    /// machine: what a download would overwrite (asked about), a folder or file that is
    /// not there (the form opens again).
    fn overlay_key(&mut self, key: &KeyEvent, cx: &mut Ctx) -> Option<Outcome> {
        let form = match &self.room.overlay {
            Some(Overlay::Dialog(Dialog::Form(form))) => Some(form.clone()),
            _ => None,
        };
        let mut outcome = self.room.overlay_key(key, cx)?;
        if let [
            op @ (Op::CopyFrom {
                overwrite: false, ..
            }
            | Op::CopyTo { .. }),
        ] = outcome.ops.as_slice()
        {
            let request = Request::Probe(op.clone());
            outcome.ops.clear();
            self.submitted = form;
            outcome = outcome.docker(Command::Files {
                id: self.base,
                request,
            });
        }
        Some(outcome)
    }

    /// `Enter`: a folder (or a link to one) opens, a file is read.
    fn open(&mut self, selected: Option<Entry>, cx: &mut Ctx) -> Outcome {
        let Some(row) = selected else {
            return nothing(cx, self.room.loading);
        };
        let path = join(&self.path, &row.name);
        match row.kind {
            Kind::Folder | Kind::Link => Outcome::stay().with(self.go(path, None)),
            Kind::File => self.read_file(path),
            Kind::Other => {
                cx.activity.refuse(format!(
                    "{path} is a device, fifo or socket: no text to read"
                ));
                Outcome::stay()
            }
        }
    }

    /// The selected entry's path, else the folder's.
    fn selected_path(&self) -> String {
        match self.selected() {
            Some(row) => join(&self.path, &row.name),
            None => self.path.clone(),
        }
    }
}

fn nothing(cx: &mut Ctx, loading: bool) -> Outcome {
    cx.activity.refuse(match loading {
        true => "nothing listed yet: the folder is still being read",
        false => "no file selected (the folder is empty)",
    });
    Outcome::stay()
}

impl Outcome {
    /// These commands for the Docker tasks too.
    fn with(mut self, commands: Vec<Command>) -> Self {
        self.effects.docker.extend(commands);
        self
    }
}

impl App {
    /// `f`, `:files [PATH]`: the selected container's files, from `/` or `path`.
    pub(super) fn open_files(&mut self, path: Option<&str>) -> Vec<Command> {
        let Some(row) = self.container_or_refuse() else {
            return Vec::new();
        };
        let mut view = FilesView::new(self.view_id(), Target::from(&row), row.host);
        let commands = view.go(absolute(path.unwrap_or("/")), None);
        self.view = Some(View::Files(Box::new(view)));
        // Nothing was listed under the new id yet: only the listing goes out.
        commands
            .into_iter()
            .filter(|c| !matches!(c, Command::StopStream(_)))
            .collect()
    }

    /// A files view's answer, to the view still open on that listing.
    pub(super) fn files_answer(&mut self, id: StreamId, answer: Answer) -> Vec<Command> {
        let height = crate::layout::view_page(&self.areas());
        let Some(View::Files(view)) = &mut self.view else {
            return Vec::new();
        };
        // Listings answer under the listing's id, a download's look under the view's.
        let probe = matches!(answer, Answer::Probed { .. } | Answer::Refused { .. });
        if (probe && id != view.base) || (!probe && id != view.room.id) {
            return Vec::new();
        }
        let (mut commands, ops) = view.answer(answer, height);
        if !ops.is_empty() {
            commands.extend(self.submit(ops));
        }
        commands
    }

    /// An action ended: an upload into the folder shown lists it again.
    pub(super) fn files_copied(&mut self, id: OpId) -> Vec<Command> {
        let Some(View::Files(view)) = &mut self.view else {
            return Vec::new();
        };
        let uploaded_here = self.activity.get(id).is_some_and(|e| {
            matches!(&e.op, Op::CopyTo { container, dir, .. }
                    if container.id == view.container.id && *dir == view.path)
        });
        match uploaded_here && view.room.overlay.is_none() {
            true => {
                let select = view.room.cursor.selected.clone();
                view.go(view.path.clone(), select)
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
}
