//! Where each part of the screen goes: pure geometry, computed once here and used both by
//! drawing (`ui`) and by `update` (paging, the terminal pane's tty size, the mouse): the
//! screen's areas here, a table's columns in `table`, the terminal pane's tabs in `tabs`.

pub mod table;
pub mod tabs;

use ratatui::layout::{Constraint, Layout, Rect};

pub struct Areas {
    pub header: Rect,
    /// The alerts strip under the header (no rows when no alert is raised).
    pub alerts: Rect,
    pub images: Rect,
    pub containers: Rect,
    /// The container terminal pane, when a session is open.
    pub terminal: Option<Rect>,
    /// The last action's progress or outcome.
    pub status: Rect,
    /// A full view (logs, inspect, stats, structure, events): everything between the
    /// header and the status line.
    pub view: Rect,
    pub footer: Rect,
}

/// Heights of the header, the status line (at least) and the footer.
const HEADER: u16 = 2;
const STATUS: u16 = 1;
const FOOTER: u16 = 1;

/// Below this the panes cannot show a row; a short note is drawn instead.
pub const MIN_SIZE: (u16, u16) = (40, 10);

/// `alert_rows`: the alerts strip's (none without an alert); `terminal`: a session is open; `zoomed`: its pane takes the whole body; `status_rows`:
/// what the status line needs to be read whole; `image_rows`: the images pane's rows, once
/// listed (it takes the room they need, up to 40 % of the lists' height).
pub fn areas(
    area: Rect,
    terminal: bool,
    zoomed: bool,
    status_rows: u16,
    image_rows: Option<usize>,
    alert_rows: u16,
) -> Areas {
    let [header, alerts, body, status, footer] = Layout::vertical([
        Constraint::Length(HEADER),
        Constraint::Length(alert_rows),
        Constraint::Min(0),
        Constraint::Length(status_rows.max(STATUS)),
        Constraint::Length(FOOTER),
    ])
    .areas(area);
    let (lists, terminal) = match (terminal, zoomed) {
        (false, _) => (body, None),
        (true, true) => (Rect::new(body.x, body.y, body.width, 0), Some(body)),
        // Wide screens: lists left, terminal right; else lists above the terminal.
        (true, false) if body.width >= 120 => {
            let [l, t] =
                Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)])
                    .areas(body);
            (l, Some(t))
        }
        (true, false) => {
            let [l, t] = Layout::vertical([Constraint::Percentage(45), Constraint::Percentage(55)])
                .areas(body);
            (l, Some(t))
        }
    };
    let most = lists.height * 2 / 5;
    // Borders and the header row, and one row at least (for "no images").
    let needs = |rows: usize| u16::try_from(rows.max(1) + 3).unwrap_or(u16::MAX);
    let images_height = image_rows.map_or(most, |rows| needs(rows).min(most));
    let [images, containers] =
        Layout::vertical([Constraint::Length(images_height), Constraint::Fill(1)]).areas(lists);
    Areas {
        view: Rect::new(area.x, body.y, area.width, body.height),
        header,
        alerts,
        images,
        containers,
        terminal,
        status,
        footer,
    }
}

/// The screen of `size` columns × rows.
pub fn screen(size: (u16, u16)) -> Rect {
    Rect::new(0, 0, size.0, size.1)
}

/// The layers view in the view area `view`: its summary line, the layers (left) beside the
/// files, and the waste part's `waste` lines below them.
pub fn layers_view(view: Rect, waste: u16) -> [Rect; 4] {
    let [summary, body, below] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(waste),
    ])
    .areas(view);
    let [layers, files] =
        Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)]).areas(body);
    [summary, layers, files, below]
}

/// Rows a page key moves in a full view: its height less the borders and the view's own
/// two lines (title details and search or notes).
pub fn view_page(areas: &Areas) -> usize {
    usize::from(areas.view.height.saturating_sub(4)).max(1)
}

/// Rows and columns inside a bordered pane.
pub fn inner_size(pane: Rect) -> (u16, u16) {
    (pane.height.saturating_sub(2), pane.width.saturating_sub(2))
}

/// Rows of data a bordered table with a header row shows.
pub fn table_rows(pane: Rect) -> usize {
    usize::from(pane.height.saturating_sub(3))
}
