//! The images and containers panes' keys: the actions that open dialogs and views or start
//! work on the selected rows. The keys every list has (moving, filter, sort, marks, copy,
//! `Esc`) are the pane's list's, done as in every list view ([`List::on_key`]).

use crossterm::event::KeyEvent;

use super::dialog::{Dialog, Form, FormKind, KillPicker};
use super::effects::Effects;
use super::keymap::{ListAction, Nav, PaneAction};
use super::list::{Kind, List};
use super::view::{CommandLogView, Ctx, EventsView, HelpView, Outcome, TransfersView, View};
use super::{App, Pane};
use crate::docker::{Command, HostId, Target};

impl App {
    pub(super) fn on_pane_key(&mut self, key: &KeyEvent) -> Effects {
        // A filter being typed takes the keys.
        if self.filter(self.focus).editing {
            return self.every_list_key(Every::Typed(key));
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

    /// A key every list has, found in the panes' scopes (moving and `/`, `Esc`, `>`, `<` in
    /// `[keys.global]`; Space, `y`, `Y` in the pane's): done by the focused pane's list with
    /// the steps [`List::on_key`] takes. The panes' own parts are hooks around them: Space
    /// on a Compose project's row marks its containers, and a sort by CPU % or MEM orders
    /// by the last readings.
    fn every_list_key(&mut self, key: Every) -> Effects {
        let containers = self.focus != Pane::Images;
        if containers
            && key == Every::Act(ListAction::Mark)
            && let Some((host, name)) = self.selected_project()
        {
            self.mark_project(host, &name);
            self.navigate(Nav::Down);
            return Effects::default();
        }
        let sorts = matches!(
            key,
            Every::Act(ListAction::SortNext | ListAction::SortReverse)
        );
        if containers && sorts {
            // `>` steps through CPU % and MEM while they show.
            self.containers.kind.usage = self.usage.on;
        }
        let mut cx = Ctx {
            keymap: &self.keymap,
            page: self.rows_in_view(self.focus),
            activity: &mut self.activity,
            events: &self.engine_events,
            now: self.now,
            save_dir: &self.prefs.save_dir,
            platform: None,
            containers: &[],
            refuses: None,
            hosts: Vec::new(),
            host_names: &self.host_names,
        };
        let outcome = match containers {
            false => every_list(&mut self.images, key, &mut cx),
            true => every_list(&mut self.containers, key, &mut cx),
        };
        if containers && sorts {
            self.order_by_usage();
        }
        outcome.effects
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
            // Every list's keys, done as every list view does them.
            Nav(_) | Filter | ClearFilter | NextSort | ReverseSort | Mark | CopyId | CopyName => {
                let key = Every::of(action);
                return key.map_or_else(Effects::default, |key| self.every_list_key(key));
            }
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
            Fold => self.toggle_fold(),
            ToggleGroups => self.toggle_groups(),
            CommandLine => self.open_command_line(),
            ExecCommand => self.ask_exec(),
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

    /// A movement in the focused pane (a key, the mouse wheel).
    pub(super) fn navigate(&mut self, nav: Nav) {
        self.every_list_key(Every::Move(nav));
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

/// A pane key that every list has, as [`List::on_key`] takes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Every<'a> {
    /// While the filter is typed.
    Typed(&'a KeyEvent),
    Move(Nav),
    Act(ListAction),
}

impl Every<'_> {
    /// The pane action's key as every list's, if it is one.
    fn of(action: PaneAction) -> Option<Self> {
        Some(match action {
            PaneAction::Nav(nav) => Every::Move(nav),
            PaneAction::Filter => Every::Act(ListAction::Filter),
            PaneAction::ClearFilter => Every::Act(ListAction::ClearFilter),
            PaneAction::NextSort => Every::Act(ListAction::SortNext),
            PaneAction::ReverseSort => Every::Act(ListAction::SortReverse),
            PaneAction::Mark => Every::Act(ListAction::Mark),
            PaneAction::CopyId => Every::Act(ListAction::CopyKey),
            PaneAction::CopyName => Every::Act(ListAction::CopyName),
            _ => return None,
        })
    }
}

/// What a pane's list does with a key every list has: the steps of [`List::on_key`].
fn every_list<K: Kind>(list: &mut List<K>, key: Every, cx: &mut Ctx) -> Outcome {
    match key {
        Every::Typed(event) => {
            list.filter_key(event, cx.page, cx.host_names, cx.keymap);
        }
        Every::Move(nav) => list.move_cursor(nav, cx.page, cx.host_names),
        // With nothing to clear, a pane's `Esc` does nothing (a view's closes it).
        Every::Act(ListAction::ClearFilter) => {
            list.esc(cx.activity, cx.page, cx.host_names);
        }
        Every::Act(action) => return list.common(action, cx),
    }
    Outcome::stay()
}
