//! Where each part of the screen goes. Shared by drawing and by `update` (for paging).

use ratatui::layout::{Constraint, Layout, Rect};

pub struct Areas {
    pub header: Rect,
    pub images: Rect,
    pub containers: Rect,
    /// The last action's progress or outcome.
    pub status: Rect,
    pub footer: Rect,
}

/// Below this the panes cannot show a row; a short note is drawn instead.
pub const MIN_SIZE: (u16, u16) = (40, 10);

pub fn areas(area: Rect) -> Areas {
    let [header, body, status, footer] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Min(0),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    let [images, containers] =
        Layout::vertical([Constraint::Percentage(40), Constraint::Percentage(60)]).areas(body);
    Areas {
        header,
        images,
        containers,
        status,
        footer,
    }
}

/// Rows of data a bordered table with a header row shows.
pub fn table_rows(pane: Rect) -> usize {
    usize::from(pane.height.saturating_sub(3))
}
