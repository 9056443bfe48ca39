//! The terminal pane: a tab per session, the active one drawn cell by cell from its
//! emulator (tui-term), never by passing the container's bytes through.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};
use tui_term::widget::{Cursor, PseudoTerminal};

use super::theme;
use crate::app::keymap::{Action, PrefixAction, TerminalAction};
use crate::app::{App, Pane};
use crate::format::inert;
use crate::layout::tabs::Piece;

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let focused = app.focus == Pane::Terminal;
    let prefix = app.keymap.key_for(TerminalAction::Prefix.into());
    let block = Block::bordered()
        .title(Line::from(tab_strip(app, area.width)))
        .title_bottom(Line::styled(format!(" {prefix} prefix "), theme::dim()).right_aligned())
        .border_style(theme::border(focused));
    let Some(session) = app.session() else {
        frame.render_widget(block, area);
        return;
    };
    let note = match (&session.ended, session.interactive) {
        _ if focused && app.terminals.prefix_pending => {
            Some((prefix_note(app, &prefix), theme::key()))
        }
        // A session that never opened says why inside the pane (below).
        (Some(_), None) => None,
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
    if let (Some(reason), None) = (&session.ended, session.interactive) {
        failed(frame, area, app, block, reason);
        return;
    }
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
            format!(
                " {} ",
                back_hint(app, "any key: back to the panes (it does nothing else)")
            ),
            theme::key(),
        ));
        let y = area.bottom().saturating_sub(2);
        frame.render_widget(
            hint,
            Rect::new(area.x + 1, y, area.width.saturating_sub(2), 1),
        );
    }
}

/// A tab that never opened: why, and how to get back (keys typed meanwhile are swallowed).
fn failed(frame: &mut Frame, area: Rect, app: &App, block: Block, reason: &str) {
    let esc = app.keymap.key_for(Action::Prefix(PrefixAction::Leave));
    let lines = vec![
        Line::styled(format!("✗ {}", inert(reason)), theme::error()),
        Line::raw(""),
        Line::styled(
            back_hint(app, &format!("{esc}: back to the panes")),
            theme::key(),
        ),
        Line::styled(
            "Keys typed here go nowhere: they were meant for a shell.",
            theme::dim(),
        ),
    ];
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block),
        area,
    );
}

/// "<how to go back>; Ctrl-] w closes this tab".
fn back_hint(app: &App, back: &str) -> String {
    let prefix = app.keymap.key_for(TerminalAction::Prefix.into());
    let close = app.keymap.key_for(Action::Prefix(PrefixAction::CloseTab));
    format!("{back}; {prefix} {close} closes this tab")
}

/// The pending prefix, and what the next key can do.
fn prefix_note(app: &App, prefix: &str) -> String {
    let key = |a| app.keymap.key_for(Action::Prefix(a));
    format!(
        " {prefix} … {} zoom · {}/{} tabs · {} close · {} or a pane key: panes ",
        key(PrefixAction::Zoom),
        key(PrefixAction::PrevTab),
        key(PrefixAction::NextTab),
        key(PrefixAction::CloseTab),
        key(PrefixAction::Leave),
    )
}

/// The tabs that fit in the border, scrolled so the active one always shows whole;
/// `‹2`/`3›` count the tabs scrolled away on each side.
fn tab_strip(app: &App, width: u16) -> Vec<Span<'static>> {
    let active = (app.terminals.active).min(app.terminals.sessions.len().saturating_sub(1));
    let style = |i: usize| match app.terminals.sessions.get(i) {
        _ if i == active => theme::active_tab(),
        Some(s) if s.live() => Style::new(),
        _ => theme::dim(),
    };
    (app.tab_strip(width).into_iter())
        .map(|piece| match piece {
            Piece::Gap => Span::raw(" "),
            Piece::Scrolled(_, text) => Span::styled(text, theme::dim()),
            Piece::Tab(i, text) => Span::styled(text, style(i)),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::Settings;
    use crate::pty::{Session, SessionKind};

    fn app_with_tabs(names: &[&str], active: usize) -> App {
        let mut app = App::new(Settings::default());
        for (i, name) in names.iter().enumerate() {
            let kind = SessionKind::Exec {
                command: vec![],
                shell: true,
            };
            let id = crate::pty::SessionId(i as u64 + 1);
            app.terminals.sessions.push(Session::new(
                id,
                "id".into(),
                name.to_string(),
                kind,
                (5, 20),
            ));
        }
        app.terminals.active = active;
        app
    }

    fn text(spans: &[Span]) -> String {
        spans.iter().map(|s| s.content.as_ref()).collect()
    }

    /// The labels as drawn (the strip's geometry: `layout::tabs`).
    #[test]
    fn tabs_are_labelled_with_their_number_container_and_what_runs() {
        // Every tab fits: names are whole and there are no markers.
        let app = app_with_tabs(&["web", "db"], 1);
        assert_eq!(
            text(&tab_strip(&app, 80)),
            "  1:web · shell   2:db · shell  "
        );
    }
}
