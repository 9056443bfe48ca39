//! The footer: the focused pane's most useful keys, straight from the keymap.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::theme;
use crate::app::dialog::Dialog;
use crate::app::keymap::{Action, DialogAction, PaneAction, Scope};
use crate::app::{App, Connection, Pane, View};

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let scope = scope(app);
    let view_filtering = app.view.as_ref().is_some_and(|v| v.filtering());
    let pane_filtering = matches!(scope, Scope::Pane(focus) if app.filter(focus).editing);
    let mut hints = hints(app, scope, view_filtering || pane_filtering);
    // In a path of this machine Tab completes it (↓ still moves on): the footer says so.
    if let Some(form) = app.view.as_ref().and_then(|v| v.form())
        && form.completes_path()
    {
        let next = Action::Dialog(DialogAction::NextField);
        let next = app.keymap.bindings.iter().find(|b| b.action == next);
        for (keys, help) in &mut hints {
            if next.is_some_and(|b| &*b.help == *help) {
                *keys = "Tab".to_string();
                *help = "complete the path";
            }
        }
    }
    if let Some(dialog) = app.view.as_ref().and_then(|v| v.dialog()) {
        let idle = idle_in(dialog);
        let idle: Vec<&str> = (app.keymap.bindings.iter())
            .filter(|b| idle.iter().any(|&a| b.action == Action::Dialog(a)))
            .map(|b| &*b.help)
            .collect();
        hints.retain(|(_, help)| !idle.contains(help));
    }
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
    // `?` opens help over the panes and every view that types no text.
    let typing =
        view_filtering || pane_filtering || app.view.as_ref().is_some_and(|v| v.takes_text());
    let help =
        (!typing && scope != Scope::Terminal).then(|| app.keymap.key_for(PaneAction::Help.into()));
    let mut spans = vec![Span::raw(" ")];
    for (keys, help) in fit(hints, usize::from(area.width), help.as_deref()) {
        spans.push(Span::styled(keys, theme::key()));
        spans.push(Span::raw(format!(" {help}  ")));
    }
    frame.render_widget(Line::from(spans), area);
}

/// The dialog keys that do nothing in `dialog`: a question has no field (its answer and
/// `Esc` act), a picker no text to clear.
fn idle_in(dialog: &Dialog) -> &'static [DialogAction] {
    use DialogAction::*;
    match dialog {
        Dialog::Form(_) => &[],
        Dialog::Confirm(_) => &[NextField, PrevField, Toggle, ClearField, DeleteWord],
        Dialog::Kill(_) | Dialog::Pick(_) => &[Toggle, ClearField, DeleteWord],
    }
}

/// Whose keys show: the open view's, else the terminal pane's (its prefix's once pressed),
/// else the focused pane's.
/// The view whose keys the footer shows: help over a view keeps that view's (over the
/// panes, the panes'), as it lists them.
fn shown(app: &App) -> Option<&View> {
    match &app.view {
        Some(View::Help(_)) => app.stack.last(),
        view => view.as_ref(),
    }
}

fn scope(app: &App) -> Scope {
    match shown(app).and_then(|v| v.scope()) {
        Some(scope) => scope,
        None if app.focus == Pane::Terminal
            && app.view.is_none()
            && app.terminals.prefix_pending =>
        {
            Scope::Prefix
        }
        None if app.focus == Pane::Terminal && app.view.is_none() => Scope::Terminal,
        None => Scope::Pane(app.focus),
    }
}

/// The keys of `scope`, most used first; while a filter is typed, how to keep or drop it.
fn hints(app: &App, scope: Scope, filtering: bool) -> Vec<(String, &str)> {
    match scope {
        _ if filtering => vec![
            (
                app.keymap.key_for(DialogAction::Confirm.into()),
                "keep the filter",
            ),
            (app.keymap.key_for(DialogAction::Cancel.into()), "clear it"),
        ],
        Scope::Pane(focus) => app.keymap.footer(focus, |a| app.refuses(a)),
        // A generic list: its kind's keys, then what every list does.
        s if shown(app)
            .and_then(|v| v.list())
            .is_some_and(|l| l.scope() == s) =>
        {
            // Before the last (close), so a short footer keeps the list's own keys.
            let mut hints = app.keymap.hints(scope);
            let close = hints.pop();
            hints.extend(app.keymap.hints(Scope::List));
            hints.extend(close);
            // With a filter kept, Esc clears it first, then the marks (closing comes
            // after): say which.
            let filtered = shown(app)
                .and_then(View::room)
                .is_some_and(|r| !r.filter.text().is_empty());
            let marked = shown(app)
                .and_then(|v| v.list())
                .is_some_and(|l| l.marked() > 0);
            let clears = match (filtered, marked) {
                (true, _) => Some("clear the filter"),
                (false, true) => Some("clear the marks"),
                (false, false) => None,
            };
            for (_, help) in hints.iter_mut().filter(|(k, _)| k == "Esc") {
                if let Some(clears) = clears {
                    *help = clears;
                }
            }
            hints
        }
        scope => app.keymap.hints(scope),
    }
}

/// The hints that fit in `width` columns, in order; when some are left out, the help key
/// ends the line as `? more` (or `…` where keys type text), else as `? help`: never a cut
/// with no sign.
pub fn fit<'a>(
    hints: Vec<(String, &'a str)>,
    width: usize,
    help: Option<&str>,
) -> Vec<(String, &'a str)> {
    let cost = |(keys, help): &(String, &str)| {
        Span::raw(keys.as_str()).width() + 1 + Span::raw(*help).width() + 2
    };
    // The leading space.
    let room = width.saturating_sub(1);
    let total: usize = hints.iter().map(cost).sum();
    let tail = |word| help.map(|key| (key.to_string(), word));
    let all = tail("help").map_or(0, |t| cost(&t));
    if total + all <= room {
        return hints.into_iter().chain(tail("help")).collect();
    }
    let more = tail("more").or_else(|| Some(("…".to_string(), "")));
    let mut left = room.saturating_sub(more.as_ref().map_or(0, cost));
    let mut out = Vec::new();
    for hint in hints {
        let c = cost(&hint);
        if c > left {
            break;
        }
        left -= c;
        out.push(hint);
    }
    out.extend(more);
    out
}

#[cfg(test)]
mod tests {
    use super::fit;

    fn hints() -> Vec<(String, &'static str)> {
        ["l logs", "q quit", "s start", "x stop"]
            .iter()
            .map(|h| {
                let (k, help) = h.split_once(' ').unwrap_or_default();
                (k.to_string(), help)
            })
            .collect()
    }

    fn line(hints: Vec<(String, &str)>) -> String {
        hints
            .iter()
            .map(|(k, h)| format!("{k} {h}"))
            .collect::<Vec<_>>()
            .join("  ")
    }

    #[test]
    fn a_cut_footer_ends_in_more_and_a_whole_one_in_help() {
        assert_eq!(
            line(fit(hints(), 80, Some("?"))),
            "l logs  q quit  s start  x stop  ? help"
        );
        // 1 + "l logs  q quit  " + "? more  " = 25 columns: the first two and the sign.
        assert_eq!(line(fit(hints(), 25, Some("?"))), "l logs  q quit  ? more");
        assert_eq!(line(fit(hints(), 24, Some("?"))), "l logs  ? more");
        // Where `?` would be typed, a cut still shows.
        assert_eq!(line(fit(hints(), 25, None)), "l logs  q quit  … ");
    }
}
