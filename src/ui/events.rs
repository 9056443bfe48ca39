//! The daemon's events, newest first: time, type, action, actor and its attributes.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::{theme, view_area};
use crate::app::App;
use crate::app::view::EventsView;
use crate::format::inert;

pub fn render(frame: &mut Frame, area: Rect, app: &App, view: &EventsView) {
    let rect = view_area(frame, area);
    // Columns as wide as their widest value in view (capped), so rows line up.
    let rows: Vec<[String; 5]> = view
        .shown(&app.engine_events)
        .skip(view.scroll)
        .take(usize::from(rect.height))
        .map(|e| {
            let secs = e.time / 1_000_000_000 + i64::from(app.prefs.utc_offset);
            let millis = (e.time / 1_000_000) % 1_000;
            let time = chrono::DateTime::from_timestamp(secs, 0)
                .map(|t| format!("{}.{millis:03}", t.format("%H:%M:%S")))
                .unwrap_or_default();
            let attributes: Vec<String> = e
                .attributes
                .iter()
                .filter(|(k, _)| k != "name")
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            [
                time,
                inert(e.kind.as_str()),
                inert(&e.action),
                inert(e.actor()),
                inert(&attributes.join(", ")),
            ]
        })
        .collect();
    let width = |i: usize, cap: usize| {
        rows.iter()
            .map(|r| r[i].chars().count())
            .max()
            .unwrap_or(0)
            .min(cap)
    };
    let (kind, action, actor) = (width(1, 12), width(2, 28), width(3, 32));
    let lines: Vec<Line> = rows
        .into_iter()
        .map(|[time, k, a, who, attributes]| {
            Line::from(vec![
                Span::styled(format!("{time}  "), theme::dim()),
                Span::styled(format!("{k:<kind$}  "), theme::key()),
                // Long actions ("exec_start: /bin/sh …") still end before the actor.
                Span::raw(format!("{a:<action$}  ")),
                Span::styled(format!("{who:<actor$}  "), theme::title()),
                Span::styled(attributes, theme::dim()),
            ])
        })
        .collect();
    let filter = view.kind.as_ref().map_or("all types", |k| k.as_str());
    let block = Block::bordered()
        .title(Line::styled(
            format!(
                " Events · {filter} · newest first ({} kept) ",
                app.engine_events.len()
            ),
            theme::title(),
        ))
        .border_style(theme::border(true));
    let body = if lines.is_empty() {
        vec![Line::styled(
            "No events yet: they appear as the daemon reports them.",
            theme::dim(),
        )]
    } else {
        lines
    };
    frame.render_widget(Paragraph::new(body).block(block), rect);
}
