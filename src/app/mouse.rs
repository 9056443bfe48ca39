//! The mouse: a click selects a row and focuses its pane (or focuses the terminal pane), a
//! click on a column's header sorts by it (again: the other way round), a click on a tab
//! switches to it; the wheel scrolls what is under it (lists, views, the terminal pane's
//! scrollback). Where headers and tabs are is found as drawing finds it: the columns from
//! `App::*_columns` and the tabs from `App::tab_strip`, laid out by `crate::layout`.

use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::{Position, Rect};

use super::effects::Effects;
use super::keymap::{Nav, PaneAction};
use super::list::ListView;
use super::view::View;
use super::{App, Pane};
use crate::layout;

/// Rows the wheel moves the terminal pane's scrollback.
const WHEEL_ROWS: isize = 3;

impl App {
    pub(super) fn on_mouse(&mut self, mouse: MouseEvent) -> Effects {
        let at = Position::new(mouse.column, mouse.row);
        let areas = self.areas();
        // A view over the panes takes the mouse.
        if self.view.is_some() {
            return self.view_mouse(mouse.kind, at, areas.view);
        }
        let pane = if areas.images.contains(at) {
            Some((Pane::Images, areas.images))
        } else if areas.containers.contains(at) {
            Some((Pane::Containers, areas.containers))
        } else {
            areas
                .terminal
                .filter(|t| t.contains(at))
                .map(|t| (Pane::Terminal, t))
        };
        let Some((pane, rect)) = pane else {
            return Effects::default();
        };
        // A program in the pane that asked for the mouse gets it, as in xterm.
        if pane == Pane::Terminal
            && let Some(bytes) = self.mouse_for_program(&mouse, rect)
        {
            return bytes.into();
        }
        match (mouse.kind, pane) {
            (MouseEventKind::Down(MouseButton::Left), Pane::Terminal) => {
                self.focus = Pane::Terminal;
                if at.y == rect.y
                    && let Some(tab) = layout::tabs::tab_at(&self.tab_strip(rect.width), rect, at.x)
                {
                    self.terminals.active = tab;
                }
            }
            (MouseEventKind::Down(MouseButton::Left), list) if at.y == rect.y + 1 => {
                self.focus = list;
                if let Some(at) = self.header_at(list, rect, at.x) {
                    self.sort_column(list, at);
                }
            }
            (MouseEventKind::Down(MouseButton::Left), list) => {
                self.focus = list;
                if let Some(row) = clicked_row(rect, at) {
                    let offset = match list {
                        Pane::Images => self.images.room.cursor.offset,
                        _ => self.containers.room.cursor.offset,
                    };
                    self.move_to(offset + row);
                }
            }
            (MouseEventKind::ScrollDown | MouseEventKind::ScrollUp, Pane::Terminal) => {
                let lines = if mouse.kind == MouseEventKind::ScrollUp {
                    WHEEL_ROWS
                } else {
                    -WHEEL_ROWS
                };
                if let Some(s) = self.terminals.sessions.get_mut(self.terminals.active) {
                    s.scroll_by(lines);
                }
            }
            (MouseEventKind::ScrollDown | MouseEventKind::ScrollUp, list) => {
                let focus = std::mem::replace(&mut self.focus, list);
                let nav = if mouse.kind == MouseEventKind::ScrollUp {
                    Nav::Up
                } else {
                    Nav::Down
                };
                self.navigate(nav);
                self.focus = focus;
            }
            _ => {}
        }
        Effects::default()
    }
}

impl App {
    /// The mouse over a view drawn in `rect`: a click on a list's header sorts by it; the
    /// wheel is its own up and down (the keys bound to them, whatever they are).
    fn view_mouse(&mut self, kind: MouseEventKind, at: Position, rect: Rect) -> Effects {
        // A dialog or inspect view over a list takes no clicks meant for the list under it.
        let covered = self
            .view
            .as_ref()
            .and_then(View::room)
            .is_some_and(|r| r.overlay.is_some());
        if kind == MouseEventKind::Down(MouseButton::Left) {
            if covered {
                return Effects::default();
            }
            if let Some(View::Layers(_)) = &self.view {
                self.click_layers(rect, at);
                return Effects::default();
            }
            match at.y == rect.y + 1 {
                true => self.click_list_header(rect, at.x),
                false => self.click_list_row(rect, at),
            }
            return Effects::default();
        }
        let nav = match kind {
            MouseEventKind::ScrollDown => Nav::Down,
            MouseEventKind::ScrollUp => Nav::Up,
            _ => return Effects::default(),
        };
        match self.keymap.event_for(PaneAction::Nav(nav).into()) {
            Some(key) => self.on_key(key),
            None => Effects::default(),
        }
    }

    /// A click on the layers view (drawn in `rect`): on its layers, a list as any (the files
    /// beside them are a tree, which the keys move in).
    fn click_layers(&mut self, rect: Rect, at: Position) {
        let [_, layers, _, _] = layout::layers_view(rect, super::layers::WASTE_LINES);
        let Some(View::Layers(v)) = &self.view else {
            return;
        };
        if !layers.contains(at) {
            return;
        }
        let column = (at.y == layers.y + 1).then(|| {
            let list: &dyn ListView = &v.list;
            let columns = self.list_columns(&list.shown_lines(&self.host_names));
            // The HOST column comes first (never shown here); it sorts nothing.
            layout::table::header_index(&columns, layers, at.x)?.checked_sub(1)
        });
        let page = layout::view_page(&self.areas());
        if let Some(View::Layers(v)) = &mut self.view {
            v.click_layers(column.flatten(), clicked_row(layers, at), page);
        }
    }

    /// A click on the header of the list view open (drawn in `rect`): it sorts by that column.
    fn click_list_header(&mut self, rect: Rect, x: u16) {
        let at = (self.view.as_ref().and_then(View::list)).and_then(|list| {
            let columns = self.list_columns(&list.shown_lines(&self.host_names));
            // The HOST column comes first; it sorts nothing.
            layout::table::header_index(&columns, rect, x)?.checked_sub(1)
        });
        let page = layout::view_page(&self.areas());
        let list = self.view.as_mut().and_then(View::list_mut);
        if let (Some(at), Some(list)) = (at, list) {
            list.sort_by(at, page, &self.host_names);
        }
    }

    /// A click on a row of the list view open (drawn in `rect`) selects it.
    fn click_list_row(&mut self, rect: Rect, at: Position) {
        let page = layout::view_page(&self.areas());
        let Some(row) = clicked_row(rect, at) else {
            return;
        };
        if let Some(list) = self.view.as_mut().and_then(View::list_mut) {
            let at = list.room().cursor.offset + row;
            list.select_shown(at, page, &self.host_names);
        }
    }

    /// The kind's column whose header is at column `x` of a pane drawn in `rect`, if any.
    fn header_at(&self, list: Pane, rect: Rect, x: u16) -> Option<usize> {
        let columns = match list {
            Pane::Images => self.image_columns(&self.visible_images()),
            Pane::Containers | Pane::Terminal => self.container_columns(&self.container_entries()),
        };
        layout::table::header_index(&columns, rect, x)
    }

    /// The bytes a program in the focused pane's live session asked mouse reporting for.
    fn mouse_for_program(&self, mouse: &MouseEvent, pane: Rect) -> Option<super::effects::Routed> {
        let session = self.session()?;
        if self.focus != Pane::Terminal
            || self.session_read_only(session)
            || !session.live()
            || session.interactive != Some(true)
        {
            return None;
        }
        let screen = session.parser.screen();
        let col = mouse.column.checked_sub(pane.x + 1)?;
        let row = mouse.row.checked_sub(pane.y + 1)?;
        let bytes = crate::pty::keys::mouse(
            mouse,
            col,
            row,
            screen.mouse_protocol_mode(),
            screen.mouse_protocol_encoding(),
        )?;
        let input = crate::docker::Command::SessionInput {
            id: session.id,
            bytes,
        };
        Some((session.host, input))
    }
}

/// The data row under `at` in a bordered table with a header row, if any.
fn clicked_row(pane: Rect, at: Position) -> Option<usize> {
    let first = pane.y + 2;
    let rows = layout::table_rows(pane);
    let row = usize::from(at.y.checked_sub(first)?);
    (row < rows).then_some(row)
}
