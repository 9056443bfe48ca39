//! The alerts strip under the header: every alert raised, newest first, folded by kind and
//! host, on one row (cut at the screen's edge, ending in `…`; the alerts list has them all), then what
//! happened while dockpit was closed ("while you were away: …").

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::table::within;
use super::theme;
use crate::app::{Action, App, PaneAction};
use crate::format::inert;

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    if area.height == 0 {
        return;
    }
    let key = app.keymap.key_for(Action::Pane(PaneAction::List("alerts")));
    let count = app.alerts.watch.len();
    // The live alerts first, then what happened while dockpit was closed.
    let mut items = app.alerts.strip(app.fleet());
    items.extend(app.alerts.away.lines.iter().cloned());
    let counted = match count {
        0 => String::new(),
        n => crate::format::plural(n, "alert", "alerts") + ": ",
    };
    let key = format!(" {key} ");
    // Cut at the screen's edge with a sign: the list (`!`) has the rest.
    let room =
        usize::from(area.width).saturating_sub(Line::from(format!("{key}{counted}")).width());
    let line = Line::from(vec![
        Span::styled(key, theme::key()),
        Span::styled(counted, theme::error()),
        // Names come from the daemons: drawn inert.
        Span::styled(within(inert(&items.join(" · ")), room), theme::error()),
    ]);
    frame.render_widget(Paragraph::new(line), area);
}
