//! The terminal pane: a tab per session, the active one drawn cell by cell from its
//! emulator (tui-term), never by passing the container's bytes through.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};
use tui_term::widget::{Cursor, PseudoTerminal};

use super::theme;
use crate::app::keymap::TerminalAction;
use crate::app::{App, Pane};
use crate::format::inert;

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let focused = app.focus == Pane::Terminal;
    let mut tabs = vec![Span::raw(" ")];
    for (i, s) in app.sessions.iter().enumerate() {
        let label = format!(" {}:{} ", i + 1, inert(&s.title()));
        let style = if i == app.active_session {
            theme::active_tab()
        } else if s.live() {
            Style::new()
        } else {
            theme::dim()
        };
        tabs.push(Span::styled(label, style));
        tabs.push(Span::raw(" "));
    }
    let leave = app.keymap.key_for(TerminalAction::Leave.into());
    let block = Block::bordered()
        .title(Line::from(tabs))
        .title_bottom(Line::styled(format!(" {leave} panes "), theme::dim()).right_aligned())
        .border_style(theme::border(focused));
    let Some(session) = app.session() else {
        frame.render_widget(block, area);
        return;
    };
    let note = match (&session.ended, session.interactive) {
        (Some(reason), _) => Some((format!(" {} ", inert(reason)), theme::error())),
        (None, None) => Some((" connecting… ".to_string(), theme::dim())),
        (None, Some(false)) => Some((
            " read-only: no tty with open stdin ".to_string(),
            theme::dim(),
        )),
        (None, Some(true)) if session.scroll > 0 => Some((
            format!(" scrolled back {} lines ", session.scroll),
            theme::key(),
        )),
        _ => None,
    };
    let block = match note {
        Some((text, style)) => block.title_bottom(Line::styled(text, style).left_aligned()),
        None => block,
    };
    let mut cursor = Cursor::default();
    if !focused || !session.live() || session.scroll > 0 {
        cursor.hide();
    }
    let widget = PseudoTerminal::new(session.parser.screen())
        .block(block)
        .cursor(cursor);
    frame.render_widget(widget, area);
    if session.ended.is_some() && focused {
        let hint = Paragraph::new(Line::styled(
            app.keymap.fill(&format!(
                " {leave} back to the panes, {{close-tab}} closes this tab "
            )),
            theme::dim(),
        ));
        let y = area.bottom().saturating_sub(2);
        frame.render_widget(
            hint,
            Rect::new(area.x + 1, y, area.width.saturating_sub(2), 1),
        );
    }
}
