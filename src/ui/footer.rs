//! The footer: the focused pane's most useful keys, straight from the keymap.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::theme;
use crate::app::keymap::Scope;
use crate::app::{Action, App, Connection, Overlay};

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let mut hints = match app.overlay {
        Some(Overlay::Dialog(_)) => app.keymap.hints(Scope::Dialog),
        Some(Overlay::Transfers { .. }) => app.keymap.hints(Scope::Transfers),
        Some(Overlay::Logs(_)) => app.keymap.hints(Scope::Logs),
        Some(Overlay::Events { .. }) => app.keymap.hints(Scope::Events),
        Some(Overlay::Stats(_)) => app.keymap.hints(Scope::Stats),
        Some(Overlay::Tree(_)) => app.keymap.hints(Scope::Tree),
        Some(Overlay::Inspect(_)) => app.keymap.hints(Scope::Inspect),
        None if app.focus == crate::app::Pane::Terminal => app.keymap.hints(Scope::Terminal),
        _ => app.keymap.footer(app.focus),
    };
    if matches!(app.connection, Connection::Down(_)) {
        let retry = app
            .keymap
            .bindings
            .iter()
            .find(|b| b.action == Action::Retry);
        if let Some(b) = retry {
            hints.insert(0, (b.keys_label(), b.help));
        }
    }
    let mut spans = vec![Span::raw(" ")];
    for (keys, help) in hints {
        spans.push(Span::styled(keys, theme::key()));
        spans.push(Span::raw(format!(" {help}  ")));
    }
    frame.render_widget(Line::from(spans), area);
}
