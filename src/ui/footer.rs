//! The footer: the focused pane's most useful keys, straight from the keymap.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::theme;
use crate::app::keymap::{Action, DialogAction, PaneAction, Scope};
use crate::app::{App, Connection, Pane};

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    // The open view's scope says which keys show.
    let scope = match app.view.as_ref().and_then(|v| v.scope()) {
        Some(scope) => scope,
        None if app.focus == Pane::Terminal && app.view.is_none() && app.prefix_pending => {
            Scope::Prefix
        }
        None if app.focus == Pane::Terminal && app.view.is_none() => Scope::Terminal,
        None => Scope::Pane(app.focus),
    };
    let view_filtering = app.view.as_ref().is_some_and(|v| v.filtering());
    let mut hints = match scope {
        // A filter being typed: how to keep it or drop it.
        _ if view_filtering => vec![
            (
                app.keymap.key_for(DialogAction::Confirm.into()),
                "keep the filter",
            ),
            (app.keymap.key_for(DialogAction::Cancel.into()), "clear it"),
        ],
        Scope::Pane(focus) if app.filter(focus).editing => vec![
            (
                app.keymap.key_for(DialogAction::Confirm.into()),
                "keep the filter",
            ),
            (app.keymap.key_for(DialogAction::Cancel.into()), "clear it"),
        ],
        Scope::Pane(focus) => app.keymap.footer(focus, |a| app.refuses(a)),
        // A generic list: its kind's keys, then what every list does.
        Scope::Volumes | Scope::Networks | Scope::DiskUsage | Scope::Top => {
            // Before the last (close), so a short footer keeps the list's own keys.
            let mut hints = app.keymap.hints(scope);
            let close = hints.pop();
            hints.extend(app.keymap.hints(Scope::List));
            hints.extend(close);
            hints
        }
        scope => app.keymap.hints(scope),
    };
    if matches!(app.connection, Connection::Down(_)) {
        let retry = app
            .keymap
            .bindings
            .iter()
            .find(|b| b.action == Action::Pane(PaneAction::Retry));
        if let Some(b) = retry {
            hints.insert(0, (b.keys_label(), &b.help));
        }
    }
    let mut spans = vec![Span::raw(" ")];
    for (keys, help) in hints {
        spans.push(Span::styled(keys, theme::key()));
        spans.push(Span::raw(format!(" {help}  ")));
    }
    frame.render_widget(Line::from(spans), area);
}
