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
use crate::pty::Session;

/// Container names in inactive tabs are cut to this many characters when tabs do not fit.
const SHORT_NAME: usize = 12;

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let focused = app.focus == Pane::Terminal;
    let prefix = app.keymap.key_for(TerminalAction::Prefix.into());
    let block = Block::bordered()
        .title(Line::from(tab_strip(app, usize::from(area.width))))
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

/// `s`, cut to `max` characters with an ellipsis.
fn cut(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// " 2:web · shell ", its container name cut to `name` characters; with several hosts,
/// " 2:build1/web · shell ".
fn label(app: &App, i: usize, s: &Session, name: usize) -> String {
    let host = if app.fleet() {
        format!("{}/", inert(app.host_name(s.host)))
    } else {
        String::new()
    };
    format!(
        " {}:{host}{} · {} ",
        i + 1,
        inert(&cut(&s.container_name, name)),
        s.what()
    )
}

fn tab_strip(app: &App, width: usize) -> Vec<Span<'static>> {
    tabs(app, width).into_iter().map(|(span, _)| span).collect()
}

/// The tab whose label is at column `x` of the pane's top border, in a pane drawn in
/// `area`.
pub fn tab_at(app: &App, area: Rect, x: u16) -> Option<usize> {
    // The title starts after the border's corner.
    let mut left = area.x + 1;
    for (span, tab) in tabs(app, usize::from(area.width)) {
        let right = left.saturating_add(span.width() as u16);
        if x >= left && x < right {
            return tab;
        }
        left = right;
    }
    None
}

/// The tabs that fit in a border `width` wide, scrolled so the active one always shows
/// whole; `‹2`/`3›` count the tabs scrolled away on each side. Each piece with the tab it
/// shows, if any.
fn tabs(app: &App, width: usize) -> Vec<(Span<'static>, Option<usize>)> {
    let count = app.terminals.sessions.len();
    if count == 0 {
        return Vec::new();
    }
    let active = app.terminals.active.min(count - 1);
    // The corners, a space before the first tab, and room for both markers.
    let room = width.saturating_sub(3);
    let full: Vec<String> = (app.terminals.sessions.iter().enumerate())
        .map(|(i, s)| label(app, i, s, usize::MAX))
        .collect();
    let cost = |labels: &[String]| labels.iter().map(|l| l.chars().count() + 1).sum::<usize>();
    let mut labels = full;
    if cost(&labels) > room {
        // Shorter names for the others; the active one keeps as much as fits.
        let marker = 8;
        let fixed = label(app, active, &app.terminals.sessions[active], 0)
            .chars()
            .count()
            + 1;
        let name = room.saturating_sub(fixed + marker).max(4);
        labels = (app.terminals.sessions.iter().enumerate())
            .map(|(i, s)| {
                let max = if i == active { name } else { SHORT_NAME };
                label(app, i, s, max)
            })
            .collect();
    }
    // Widen the window around the active tab while the tabs (and markers) fit.
    let (mut lo, mut hi) = (active, active);
    let fits = |lo: usize, hi: usize| {
        let markers = usize::from(lo > 0) * 4 + usize::from(hi + 1 < count) * 4;
        cost(&labels[lo..=hi]) + markers <= room
    };
    loop {
        let mut grew = false;
        if hi + 1 < count && fits(lo, hi + 1) {
            hi += 1;
            grew = true;
        }
        if lo > 0 && fits(lo - 1, hi) {
            lo -= 1;
            grew = true;
        }
        if !grew {
            break;
        }
    }
    let mut spans = vec![(Span::raw(" "), None)];
    if lo > 0 {
        spans.push((Span::styled(format!("‹{lo} "), theme::dim()), None));
    }
    for (i, text) in labels.into_iter().enumerate().take(hi + 1).skip(lo) {
        let session = &app.terminals.sessions[i];
        let style = if i == active {
            theme::active_tab()
        } else if session.live() {
            Style::new()
        } else {
            theme::dim()
        };
        spans.push((Span::styled(text, style), Some(i)));
        spans.push((Span::raw(" "), None));
    }
    if hi + 1 < count {
        let more = Span::styled(format!("{}›", count - hi - 1), theme::dim());
        spans.push((more, None));
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::Settings;
    use crate::pty::SessionKind;

    fn app_with_tabs(names: &[&str], active: usize) -> App {
        let mut app = App::new(Settings::default());
        for (i, name) in names.iter().enumerate() {
            let kind = SessionKind::Exec { command: vec![] };
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

    #[test]
    fn the_active_tab_is_always_in_view_and_whole() {
        let names = ["checkout-service-7"; 6];
        for width in [40, 80, 140] {
            for active in 0..names.len() {
                let app = app_with_tabs(&names, active);
                let strip = text(&tab_strip(&app, width));
                let label = format!("{}:checkout-service-7 · shell", active + 1);
                assert!(strip.contains(&label) || width < 60, "{width}: {strip}");
                assert!(
                    strip.contains(&format!(" {}:", active + 1)),
                    "{width}: {strip}"
                );
                assert!(strip.chars().count() <= width - 2, "{width}: {strip}");
                // Tabs scrolled away are counted.
                if active == names.len() - 1 && width < 140 {
                    assert!(strip.contains('‹'), "{width}: {strip}");
                }
            }
        }
        // When every tab fits, names are whole and there are no markers.
        let app = app_with_tabs(&["web", "db"], 1);
        assert_eq!(
            text(&tab_strip(&app, 80)),
            "  1:web · shell   2:db · shell  "
        );
    }
}
