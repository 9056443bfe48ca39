//! Where the terminal pane's tabs go in its top border: which fit, scrolled so the active
//! one shows whole. Drawing (`ui::terminal`) styles the pieces and the mouse finds the tab
//! under a click with them.

use ratatui::layout::Rect;
use ratatui::text::Span;

/// Inactive tabs' names are cut to this many characters when the tabs do not fit.
const SHORT_NAME: usize = 12;

/// A piece of the strip, left to right.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// The space before and after each tab.
    Gap,
    /// `‹2 ` or `3›`: the tabs scrolled away on that side, and the nearest of them (a
    /// click there goes to it).
    Scrolled(usize, String),
    /// A tab's label and its index.
    Tab(usize, String),
}

impl Piece {
    pub fn text(&self) -> &str {
        match self {
            Piece::Gap => " ",
            Piece::Scrolled(_, text) | Piece::Tab(_, text) => text,
        }
    }
}

/// The strip of `count` tabs in a border `width` wide; `label(i, name)`: tab `i`'s label,
/// its container name cut to `name` characters.
pub fn strip(
    count: usize,
    active: usize,
    width: usize,
    label: impl Fn(usize, usize) -> String,
) -> Vec<Piece> {
    if count == 0 {
        return Vec::new();
    }
    let active = active.min(count - 1);
    // The corners, a space before the first tab, and room for both markers.
    let room = width.saturating_sub(3);
    let cost = |labels: &[String]| labels.iter().map(|l| l.chars().count() + 1).sum::<usize>();
    let mut labels: Vec<String> = (0..count).map(|i| label(i, usize::MAX)).collect();
    if cost(&labels) > room {
        // Shorter names for the others; the active one keeps as much as fits.
        let marker = 8;
        let fixed = label(active, 0).chars().count() + 1;
        let name = room.saturating_sub(fixed + marker).max(4);
        labels = (0..count)
            .map(|i| label(i, if i == active { name } else { SHORT_NAME }))
            .collect();
    }
    let (lo, hi) = window(count, active, |lo, hi| {
        let markers = usize::from(lo > 0) * 4 + usize::from(hi + 1 < count) * 4;
        cost(&labels[lo..=hi]) + markers <= room
    });
    let mut pieces = vec![Piece::Gap];
    if lo > 0 {
        pieces.push(Piece::Scrolled(lo - 1, format!("‹{lo} ")));
    }
    for (i, text) in labels.into_iter().enumerate().take(hi + 1).skip(lo) {
        pieces.push(Piece::Tab(i, text));
        pieces.push(Piece::Gap);
    }
    if hi + 1 < count {
        pieces.push(Piece::Scrolled(hi + 1, format!("{}›", count - hi - 1)));
    }
    pieces
}

/// The tabs shown, from `lo` to `hi`: the window around the active tab widened while
/// `fits`.
fn window(count: usize, active: usize, fits: impl Fn(usize, usize) -> bool) -> (usize, usize) {
    let (mut lo, mut hi) = (active, active);
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
            return (lo, hi);
        }
    }
}

/// The tab whose label is at column `x` of the top border of a pane drawn in `area` (on a
/// `‹2`/`3›` sign, the nearest tab scrolled away on that side).
pub fn tab_at(pieces: &[Piece], area: Rect, x: u16) -> Option<usize> {
    // The title starts after the border's corner.
    let mut left = area.x + 1;
    for piece in pieces {
        let width = u16::try_from(Span::raw(piece.text()).width()).unwrap_or(u16::MAX);
        let right = left.saturating_add(width);
        if x >= left && x < right {
            return match piece {
                Piece::Tab(i, _) | Piece::Scrolled(i, _) => Some(*i),
                Piece::Gap => None,
            };
        }
        left = right;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn label(i: usize, name: usize) -> String {
        let full = "checkout-service-7";
        let cut: String = match full.chars().count() > name {
            true => full
                .chars()
                .take(name.saturating_sub(1))
                .chain(['…'])
                .collect(),
            false => full.to_string(),
        };
        format!(" {}:{cut} · shell ", i + 1)
    }

    fn text(pieces: &[Piece]) -> String {
        pieces.iter().map(Piece::text).collect()
    }

    #[test]
    fn the_active_tab_is_always_in_view_and_whole() {
        for width in [40, 80, 140] {
            for active in 0..6 {
                let strip = text(&strip(6, active, width, label));
                let whole = format!("{}:checkout-service-7 · shell", active + 1);
                assert!(strip.contains(&whole) || width < 60, "{width}: {strip}");
                assert!(strip.contains(&format!(" {}:", active + 1)), "{strip}");
                assert!(strip.chars().count() <= width - 2, "{width}: {strip}");
                // Tabs scrolled away are counted.
                if active == 5 && width < 140 {
                    assert!(strip.contains('‹'), "{width}: {strip}");
                }
            }
        }
    }

    #[test]
    fn a_click_finds_the_tab_drawn_under_it() {
        let pieces = strip(2, 1, 80, |i, _| format!(" {}:web ", i + 1));
        assert_eq!(text(&pieces), "  1:web   2:web  ");
        // The corner at 5, a gap at 6, tab 1 from 7 to 13, a gap, tab 2 from 15.
        let area = Rect::new(5, 0, 80, 10);
        assert_eq!(tab_at(&pieces, area, 6), None);
        assert_eq!(tab_at(&pieces, area, 7), Some(0));
        assert_eq!(tab_at(&pieces, area, 13), Some(0));
        assert_eq!(tab_at(&pieces, area, 14), None, "between tabs");
        assert_eq!(tab_at(&pieces, area, 15), Some(1));
        assert_eq!(tab_at(&pieces, area, 60), None);
    }

    #[test]
    fn a_click_on_a_scrolled_sign_goes_to_the_nearest_tab_on_that_side() {
        // Six tabs in a narrow strip, the fourth active: some scrolled away on each side.
        let pieces = strip(6, 3, 40, label);
        let strip_text = text(&pieces);
        let area = Rect::new(0, 0, 40, 10);
        let x_of = |sign: char| {
            let at = strip_text
                .chars()
                .position(|c| c == sign)
                .expect("the sign");
            u16::try_from(at).expect("narrow") + 1
        };
        let lo = pieces.iter().find_map(|p| match p {
            Piece::Tab(i, _) => Some(*i),
            _ => None,
        });
        let hi = pieces.iter().rev().find_map(|p| match p {
            Piece::Tab(i, _) => Some(*i),
            _ => None,
        });
        let (Some(lo), Some(hi)) = (lo, hi) else {
            panic!("tabs shown: {strip_text}");
        };
        assert!(lo > 0 && hi < 5, "scrolled on both sides: {strip_text}");
        assert_eq!(
            tab_at(&pieces, area, x_of('‹')),
            Some(lo - 1),
            "{strip_text}"
        );
        assert_eq!(
            tab_at(&pieces, area, x_of('›')),
            Some(hi + 1),
            "{strip_text}"
        );
    }
}
