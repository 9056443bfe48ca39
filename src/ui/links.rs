//! OSC 8 hyperlinks over text already drawn. ratatui's cells carry no link, so each cell of
//! a link carries its own: the opening, its one character, the closing, its width forced to
//! one. The diff renderer then writes a link cell whole or not at all, a link never stays
//! open past its cell, and a cell whose link goes (or is drawn over) differs from the one
//! before and is written again: the terminal's links always match the buffer.

use std::num::NonZeroU16;

use ratatui::buffer::{Buffer, CellDiffOption};
use ratatui::layout::Rect;

/// The link's `id` parameter: the terminal joins cells of one id and URL into one link,
/// and a test tells dockpit's links from those a container prints.
pub const ID: &str = "dockpit";

/// The cells of `area` (one row) become a link to `url`. A URL that is not plain printable
/// ASCII links nothing (it could end the sequence early), nor does a cell that is not one
/// printable ASCII character (the only ones sure to be one cell wide).
pub fn link(buf: &mut Buffer, area: Rect, url: &str) {
    if url.is_empty() || !url.chars().all(|c| c.is_ascii_graphic()) {
        return;
    }
    let area = area.intersection(buf.area);
    let one = NonZeroU16::MIN;
    for x in area.left()..area.right() {
        for y in area.top()..area.bottom() {
            let cell = &mut buf[(x, y)];
            let symbol = cell.symbol();
            if !matches!(symbol.as_bytes(), [b' '..=b'~']) {
                continue;
            }
            let linked = format!("\x1b]8;id={ID};{url}\x1b\\{symbol}\x1b]8;;\x1b\\");
            cell.set_symbol(&linked)
                .set_diff_option(CellDiffOption::ForcedWidth(one));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_cell_carries_its_own_link_and_a_bad_url_links_nothing() {
        let mut buf = Buffer::with_lines(["a 中b"]);
        link(&mut buf, Rect::new(0, 0, 5, 1), "http://localhost:8080");
        assert_eq!(
            buf[(0, 0)].symbol(),
            "\x1b]8;id=dockpit;http://localhost:8080\x1b\\a\x1b]8;;\x1b\\"
        );
        // The wide character is left as it is.
        assert_eq!(buf[(2, 0)].symbol(), "中");
        assert!(buf[(4, 0)].symbol().contains("\\b\x1b"));

        let mut buf = Buffer::with_lines(["ab"]);
        link(&mut buf, Rect::new(0, 0, 2, 1), "http://x/\x1b]0;t\x07");
        assert_eq!(buf[(0, 0)].symbol(), "a");
    }

    #[test]
    fn the_diff_writes_a_linked_cell_once_and_again_when_the_link_goes() {
        let plain = Buffer::with_lines(["ab"]);
        let mut linked = plain.clone();
        link(&mut linked, Rect::new(0, 0, 2, 1), "http://h:1");
        let written: Vec<_> = plain.diff(&linked).iter().map(|(x, _, _)| *x).collect();
        assert_eq!(written, [0, 1]);
        assert!(linked.diff(&linked.clone()).is_empty());
        let back: Vec<_> = linked
            .diff(&plain)
            .iter()
            .map(|(x, _, c)| (*x, c.symbol().to_string()))
            .collect();
        assert_eq!(back, [(0, "a".to_string()), (1, "b".to_string())]);
    }
}
