//! How a view's search shows: the pattern being typed or applied, its message, and the
//! matches highlighted in a line.

use ratatui::text::Span;

use super::theme;
use crate::app::search::Search;
use crate::format::inert;

/// For a view's bottom border: "/pattern█", "/pattern/", and the note.
pub fn status(search: &Search, extra: &str) -> Vec<Span<'static>> {
    let mut spans = vec![Span::raw(" ")];
    if let Some(input) = &search.input {
        spans.push(Span::styled(
            format!("/{}█ ", inert(&input.value)),
            theme::key(),
        ));
    } else if let Some(re) = &search.regex {
        spans.push(Span::styled(
            format!("/{}/{extra} ", inert(re.as_str())),
            theme::key(),
        ));
        if let Some((at, total)) = search.position {
            spans.push(Span::styled(
                format!("match {at} of {total} "),
                theme::key(),
            ));
        }
    }
    if let Some((note, error)) = &search.note {
        let style = if *error { theme::error() } else { theme::dim() };
        spans.push(Span::styled(format!("{} ", inert(note)), style));
    }
    spans
}

/// `text` (already made inert) with the search's matches highlighted.
pub fn highlight(text: String, search: &Search) -> Vec<Span<'static>> {
    let Some(re) = &search.regex else {
        return vec![Span::raw(text)];
    };
    let mut spans = Vec::new();
    let mut at = 0;
    for m in re.find_iter(&text) {
        spans.push(Span::raw(text[at..m.start()].to_string()));
        spans.push(Span::styled(m.as_str().to_string(), theme::search_match()));
        at = m.end();
    }
    spans.push(Span::raw(text[at..].to_string()));
    spans
}
