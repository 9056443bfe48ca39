//! The header: which Docker host, which engine, and how many of everything.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::theme;
use crate::app::{App, Connection};
use crate::format::inert;

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let brand = if app.read_only {
        Span::styled(" dockpit [read-only] ", theme::title().fg(theme::accent()))
    } else {
        Span::styled(" dockpit ", theme::title().fg(theme::accent()))
    };
    let sep = || Span::styled(" │ ", theme::dim());
    let first = match &app.connection {
        Connection::Up(info) => Line::from(vec![brand, Span::raw(inert(&info.endpoint.label()))]),
        Connection::Connecting(endpoint) => Line::from(vec![
            brand,
            Span::raw(inert(endpoint)),
            sep(),
            Span::styled("connecting…", theme::dim()),
        ]),
        Connection::Down(error) => Line::from(vec![
            brand,
            Span::raw(inert(&error.endpoint)),
            sep(),
            Span::styled("disconnected", theme::error()),
        ]),
    };
    // Counts first: on a narrow terminal the engine details are what gets cut.
    let mut counts = format!(
        " Images {} │ Containers {} running / {} all",
        app.images.len(),
        app.running_count(),
        app.containers.len()
    );
    if let Connection::Up(info) = &app.connection {
        counts.push_str(&format!(
            " │ Engine {} · API {} · {}",
            inert(&info.version),
            info.api_version,
            inert(&info.os_arch)
        ));
    }
    let second = match &app.connection {
        // The key message first: narrow terminals cut the end of the line.
        Connection::Down(error) if app.loaded => Line::styled(
            format!(
                " ✗ disconnected, retrying; the panes show stale data — {}",
                inert(&error.detail)
            ),
            theme::error(),
        ),
        _ => Line::styled(counts, Style::new()),
    };
    frame.render_widget(Paragraph::new(vec![first, second]), area);
}
