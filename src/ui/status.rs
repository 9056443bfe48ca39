//! The status line: pulls in flight, else the last action's outcome in the daemon's words.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

use super::theme;
use crate::app::{App, PaneAction};
use crate::format::inert;

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let pulling: Vec<String> = app
        .activity
        .transfers()
        .filter(|e| e.running())
        .map(|e| {
            format!(
                "{} ({})",
                e.cli.trim_start_matches("docker image pull "),
                e.layer_summary()
            )
        })
        .collect();
    let line = if !pulling.is_empty() {
        Line::styled(
            format!(
                " ⇣ pulling {} — {} shows progress",
                inert(&pulling.join(", ")),
                app.keymap.key_for(PaneAction::Transfers.into())
            ),
            theme::progress(),
        )
    } else if let Some(status) = &app.activity.status {
        let style = if status.error {
            theme::error()
        } else {
            theme::success()
        };
        Line::styled(format!(" {}", inert(&app.keymap.fill(&status.text))), style)
    } else if !app.marked.is_empty() {
        Line::styled(format!(" {} marked", app.marked.len()), theme::dim())
    } else {
        Line::raw("")
    };
    frame.render_widget(line, area);
}
