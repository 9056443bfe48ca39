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
    let brand = if app.prefs.read_only {
        Span::styled(" dockpit [read-only] ", theme::title().fg(theme::accent()))
    } else {
        Span::styled(" dockpit ", theme::title().fg(theme::accent()))
    };
    let sep = || Span::styled(" │ ", theme::dim());
    if app.fleet() {
        return fleet(frame, area, app, brand);
    }
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
        " Images {} │ Containers {} running / {} all{}",
        app.images.rows.len(),
        app.running_count(),
        app.containers.rows.len(),
        swarm(app)
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
                " ✗ disconnected, {}; the panes show stale data — {}",
                app.retrying(),
                inert(&error.detail)
            ),
            theme::error(),
        ),
        _ => Line::styled(counts, Style::new()),
    };
    frame.render_widget(Paragraph::new(vec![first, second]), area);
}

/// Several hosts: how many are up, which are read-only, and a banner for each one down
/// (the others' rows stay live). A host never reached (a context whose socket is gone) is
/// counted as unreachable: it has no rows to go stale, so it raises no banner.
fn fleet(frame: &mut Frame, area: Rect, app: &App, brand: Span<'static>) {
    let up = app.hosts.iter().filter(|h| h.up()).count();
    let (down, unreachable): (Vec<_>, Vec<_>) = (app.hosts.iter())
        .filter(|h| matches!(h.connection, Connection::Down(_)))
        .partition(|h| !app.unreachable(h));
    let mut summary = format!("{} hosts: {up} up", app.hosts.len());
    if !down.is_empty() {
        summary.push_str(&format!(", {} down", down.len()));
    }
    if !unreachable.is_empty() {
        summary.push_str(&format!(", {} unreachable", unreachable.len()));
    }
    let connecting = app.hosts.len() - up - down.len() - unreachable.len();
    if connecting > 0 {
        summary.push_str(&format!(", {connecting} connecting"));
    }
    let read_only: Vec<&str> = app
        .hosts
        .iter()
        .filter(|h| h.spec.read_only && !app.prefs.read_only)
        .map(|h| h.spec.name.as_str())
        .collect();
    let mut first = vec![brand, Span::raw(summary)];
    if !read_only.is_empty() {
        first.push(Span::styled(
            format!(" │ read-only: {}", inert(&read_only.join(", "))),
            theme::dim(),
        ));
    }
    let second = match down.first() {
        Some(host) => {
            let detail = match &host.connection {
                Connection::Down(e) => e.detail.clone(),
                _ => String::new(),
            };
            let more = match down.len() {
                1 => String::new(),
                n => format!(" (and {} more down)", n - 1),
            };
            Line::styled(
                format!(
                    " ✗ {} disconnected, {}; its rows are stale{more} — {}",
                    inert(&host.spec.name),
                    host.retrying(app.now),
                    inert(&detail)
                ),
                theme::error(),
            )
        }
        None => Line::raw(format!(
            " Images {} │ Containers {} running / {} all{}",
            app.images.rows.len(),
            app.running_count(),
            app.containers.rows.len(),
            swarm(app)
        )),
    };
    frame.render_widget(Paragraph::new(vec![Line::from(first), second]), area);
}

/// " │ Swarm: W" while a live host is a Swarm manager: the Swarm views exist only then.
fn swarm(app: &App) -> String {
    match app.swarm_host() {
        Some(_) => format!(
            " │ Swarm: {}",
            app.keymap.key_for(crate::app::PaneAction::Swarm.into())
        ),
        None => String::new(),
    }
}
