//! The alerts strip under the header: every alert raised, newest first, folded by kind and
//! host, on one row (cut at the screen's edge; the alerts list has them all).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::theme;
use crate::app::{Action, App, PaneAction};
use crate::format::inert;

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    if area.height == 0 {
        return;
    }
    let key = app.keymap.key_for(Action::Pane(PaneAction::List("alerts")));
    let count = app.alerts.watch.len();
    let items = app.alerts.strip(app.fleet());
    let line = Line::from(vec![
        Span::styled(format!(" {key} "), theme::key()),
        Span::styled(
            crate::format::plural(count, "alert", "alerts") + ": ",
            theme::error(),
        ),
        // Names come from the daemons: drawn inert.
        Span::styled(inert(&items.join(" · ")), theme::error()),
    ]);
    frame.render_widget(Paragraph::new(line), area);
}
