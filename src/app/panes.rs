//! The images and containers panes' keys: movement, and the actions that open dialogs and
//! views or start work on the selected rows.

use crossterm::event::KeyEvent;

use super::dialog::{Dialog, Form, FormKind, KillPicker};
use super::effects::Effects;
use super::keymap::{Nav, PaneAction};
use super::view::{CommandLogView, EventsView, HelpView, TransfersView, View};
use super::{App, Pane};
use crate::docker::{Command, HostId, Target};

impl App {
    pub(super) fn on_pane_key(&mut self, key: &KeyEvent) -> Effects {
        // A filter being typed takes the keys.
        if self.filter(self.focus).editing {
            self.filter_key(key);
            return Effects::default();
        }
        match self.keymap.pane(key, self.focus) {
            Some(action) => self.apply(action),
            None => {
                // Rather than nothing at all: say where the key works.
                if let Some(pane) = self.keymap.elsewhere(key, self.focus) {
                    let key = crate::app::keymap::Key::describe(key);
                    let pane = match pane {
                        Pane::Images => "Images",
                        Pane::Containers | Pane::Terminal => "Containers",
                    };
                    self.activity
                        .refuse(format!("{key} works in the {pane} pane"));
                }
                Effects::default()
            }
        }
    }

    /// Carries out a pane action, as if its key was pressed in the focused pane.
    pub fn apply(&mut self, action: PaneAction) -> Effects {
        if self.refused_read_only(action.changes_state()) {
            return Effects::default();
        }
        // Without a daemon, say so now rather than open what can only fail.
        if action.needs_docker() && matches!(self.connection, super::Connection::Down(_)) {
            let endpoint = match &self.connection {
                super::Connection::Down(error) => error.endpoint.clone(),
                _ => String::new(),
            };
            self.activity.refuse(format!(
                "not connected to Docker at {endpoint}: dockpit reconnects by itself; try again when the header shows the engine"
            ));
            return Effects::default();
        }
        // The selected row's host down, or read-only for a change: say so, whatever the row's
        // (stale) state would have made of the key.
        if action.needs_docker()
            && let Some(why) = self.host_refuses(self.active_host(), action.changes_state())
        {
            self.activity.refuse(why);
            return Effects::default();
        }
        use PaneAction::*;
        match action {
            Nav(nav) => self.navigate(nav),
            Quit => self.request_quit(),
            FocusNext | FocusPrev => self.cycle_focus(action == FocusNext),
            ToggleAll => {
                self.containers.kind.show_all = !self.containers.kind.show_all;
                self.sync_cursors();
            }
            // In the images pane, the images' update check too (a registry backing off is
            // not asked).
            Retry => {
                let mut commands = self.to_every_host(Command::Refresh);
                if self.focus == Pane::Images {
                    commands.extend(self.check_updates(true));
                }
                return commands.into();
            }
            ToggleUsage => self.toggle_usage(),
            Mark => self.toggle_mark(),
            Fold => self.toggle_fold(),
            ToggleGroups => self.toggle_groups(),
            CopyId | CopyName => return self.copy_selected(action == CopyName),
            CommandLine => self.open_command_line(),
            ExecCommand => self.ask_exec(),
            Filter => self.start_filter(),
            ClearFilter => self.clear_filter(),
            NextSort | ReverseSort => self.change_sort(action == ReverseSort),
            Help | CommandLog | Transfers | Events | ExploreTyped => self.open_view(action),
            Pull | Run | Tag | Remove | Prune | Kill | Commit => return self.open_dialog(action),
            Start | Stop | Restart | PauseToggle => return self.lifecycle(action).into(),
            Attach | Exec | FocusTerminal | Zoom | NextSession | PrevSession | CloseSession => {
                return self.apply_session(action).into();
            }
            Push => return self.push_image().into(),
            Build => self.open_build_form(None),
            Logs => return self.open_logs().into(),
            Inspect => return self.open_inspect().into(),
            Stats => return self.open_stats().into(),
            Structure => return self.open_tree().into(),
            Custom(index) => return self.run_custom(index),
            List(kind) => return self.open_kind(kind).into(),
            Swarm => return self.open_swarm().into(),
            Files => return self.open_files(None).into(),
            Layers => return self.open_layers().into(),
            Recreate => return self.ask_recreate().into(),
            Limits | Rename => return self.open_edit(action == Rename).into(),
            OpenPort => return self.open_port(),
        }
        Effects::default()
    }

    pub(super) fn navigate(&mut self, nav: Nav) {
        let page = self.rows_in_view(self.focus) as isize;
        match nav {
            Nav::Up => self.move_by(-1),
            Nav::Down => self.move_by(1),
            Nav::PageUp => self.move_by(-page),
            Nav::PageDown => self.move_by(page),
            Nav::Top => self.move_to(0),
            Nav::Bottom => self.move_to(usize::MAX),
        }
    }

    fn cycle_focus(&mut self, forward: bool) {
        let mut order = vec![Pane::Images, Pane::Containers];
        if !self.terminals.sessions.is_empty() {
            order.push(Pane::Terminal);
        }
        let at = order.iter().position(|p| *p == self.focus).unwrap_or(0);
        let step = if forward { 1 } else { order.len() - 1 };
        self.focus = order[(at + step) % order.len()];
    }

    /// `y`/`Y`: the selected row's id or name to the clipboard (OSC 52, so it works over
    /// ssh and inside tmux).
    fn copy_selected(&mut self, name: bool) -> Effects {
        let found = match self.focus {
            Pane::Images => self.selected_image().map(|i| {
                let label = i.name().unwrap_or_else(|| i.id.clone());
                if name {
                    ("the name", label)
                } else {
                    ("the image id", i.id.clone())
                }
            }),
            Pane::Containers | Pane::Terminal => self.selected_container().map(|c| {
                if name {
                    ("the name", c.name.clone())
                } else {
                    ("the container id", c.id.to_string())
                }
            }),
        };
        match found {
            Some((what, text)) => super::effects::copy(&mut self.activity, what, &text).effects,
            None => {
                self.activity.refuse("nothing selected to copy");
                Effects::default()
            }
        }
    }

    fn toggle_mark(&mut self) {
        if let Some((host, name)) = self.selected_project() {
            self.mark_project(host, &name);
            self.move_by(1);
            return;
        }
        if let Some(c) = self.selected_container() {
            let key = super::list::RowKey::new(c.host, c.id.as_str());
            if !self.containers.marks.remove(&key) {
                self.containers.marks.insert(key);
            }
            self.move_by(1);
        }
    }

    /// Views that need nothing from the selection.
    fn open_view(&mut self, action: PaneAction) {
        self.view = Some(match action {
            PaneAction::Help => View::Help(HelpView::default()),
            PaneAction::CommandLog => View::CommandLog(CommandLogView::default()),
            PaneAction::Transfers => View::Transfers(TransfersView::default()),
            PaneAction::Events => View::Events(EventsView::default()),
            _ => View::Dialog(Dialog::Form(Form::explore())),
        });
    }

    /// Opens `dialog` over the panes, acting on `host` (see [`Dialog::host`]).
    pub(super) fn open(&mut self, host: HostId, dialog: Dialog) {
        let mut dialog = dialog.on(host);
        // With several hosts a form says where it acts.
        if let Dialog::Form(form) = &mut dialog
            && self.fleet()
            && matches!(
                form.kind,
                FormKind::Pull
                    | FormKind::Run
                    | FormKind::Tag { .. }
                    | FormKind::Commit { .. }
                    | FormKind::Exec { .. }
            )
        {
            form.on_host = Some(self.host_name(host).to_string());
        }
        self.view = Some(View::Dialog(dialog));
        // What it replaced is not what closing it should bring back.
        self.stack.clear();
    }

    /// Dialogs for the selected image or containers.
    fn open_dialog(&mut self, action: PaneAction) -> Effects {
        match action {
            PaneAction::Pull => {
                let name = match self.focus {
                    Pane::Images => self.image_name(),
                    Pane::Containers | Pane::Terminal => None,
                };
                let name = name.filter(|n| crate::reference::parse(n).is_ok());
                let form = Form::pull(name.as_deref().unwrap_or(""));
                // Typed with no row: the host the user is looking at.
                self.open(self.active_host(), Dialog::Form(form));
            }
            PaneAction::Run => {
                // The same defaults from either pane: the selected image, or the selected
                // container's image.
                let image = match self.focus {
                    Pane::Images => self.image_name(),
                    Pane::Containers | Pane::Terminal => {
                        self.selected_container().map(|c| c.image.clone())
                    }
                };
                let image = image
                    .filter(|i| crate::reference::parse(i).is_ok())
                    .unwrap_or_default();
                // Typed with no row: the host the user is looking at.
                let host = self.active_host();
                self.open(host, Dialog::Form(Form::run(&image)));
                let mut commands = vec![(host, Command::ListNetworks)];
                if !image.is_empty() {
                    commands.push((host, Command::ImageCommand(image)));
                }
                return commands.into();
            }
            PaneAction::Tag => match (self.selected_image(), self.image_label_and_target()) {
                (Some(image), Some((name, _))) => {
                    let (host, form) = (image.host, Form::tag(image.id.clone(), name));
                    self.open(host, Dialog::Form(form));
                }
                _ => self.activity.refuse("no image selected"),
            },
            PaneAction::Remove => match self.focus {
                Pane::Images => self.remove_image_dialog(),
                Pane::Containers | Pane::Terminal => self.remove_containers_dialog(),
            },
            PaneAction::Prune => self.prune_dialog(),
            PaneAction::Kill => {
                if let Some(targets) = self.targets() {
                    let labels = targets.iter().map(|t| self.label(t)).collect();
                    let host = self.targets_host();
                    self.open(
                        host,
                        Dialog::Kill(KillPicker {
                            targets,
                            labels,
                            index: 0,
                            host,
                        }),
                    );
                }
            }
            _ => {
                if let Some(c) = self.container_or_refuse() {
                    self.open(c.host, Dialog::Form(Form::commit(Target::from(&c))));
                }
            }
        }
        Effects::default()
    }
}
