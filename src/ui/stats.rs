//! The stats view: the latest figures and a chart of CPU and memory.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Axis, Block, Chart, Dataset, GraphType, Paragraph};

use super::{theme, view_area};
use crate::app::stats::{HISTORY, StatsView};
use crate::docker::stats::Sample;
use crate::format::{human_size, inert};

pub fn render(frame: &mut Frame, area: Rect, view: &StatsView) {
    let rect = view_area(frame, area);
    let state = match &view.ended {
        Some(reason) => format!("ended: {}", inert(reason)),
        None => "live".into(),
    };
    let block = Block::bordered()
        .title(Line::styled(
            format!(" Stats · {} · {state} ", inert(&view.container)),
            theme::title(),
        ))
        .border_style(theme::border(true));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let Some(last) = view.samples.back() else {
        frame.render_widget(
            Paragraph::new(Line::styled("waiting for the first sample…", theme::dim())),
            inner,
        );
        return;
    };
    let figures = figures(last);
    let [text, cpu, mem] = Layout::vertical([
        Constraint::Length(3),
        Constraint::Fill(1),
        Constraint::Fill(1),
    ])
    .areas(inner);
    frame.render_widget(Paragraph::new(figures), text);
    charts(frame, view, cpu, mem);
}

/// The latest sample's figures, as `docker stats` lists them.
fn figures(last: &Sample) -> Vec<Line<'static>> {
    let memory_percent = if last.memory_limit > 0 {
        last.memory as f64 / last.memory_limit as f64 * 100.0
    } else {
        0.0
    };
    vec![
        Line::raw(format!(
            "CPU {:>7.2} %      MEM {} / {} ({memory_percent:.2} %)      PIDS {}",
            last.cpu_percent,
            human_size(last.memory as i64),
            human_size(last.memory_limit as i64),
            last.pids
        )),
        Line::raw(format!(
            "NET I/O {} / {}      BLOCK I/O {} / {}",
            human_size(last.net_rx as i64),
            human_size(last.net_tx as i64),
            human_size(last.block_read as i64),
            human_size(last.block_write as i64)
        )),
    ]
}

/// The top of a chart's scale: a round number at or above `peak`, never below `floor`
/// (0.1 % CPU must not fill a chart).
fn scale(peak: f64, floor: f64) -> f64 {
    let peak = peak.max(floor);
    let magnitude = 10f64.powf(peak.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * magnitude)
        .find(|top| *top >= peak)
        .unwrap_or(10.0 * magnitude)
}

/// One series over the last two minutes: time on x, the value on a labelled y scale.
fn chart<'a>(
    title: String,
    points: &'a [(f64, f64)],
    top: f64,
    label: impl Fn(f64) -> String,
    style: Style,
) -> Chart<'a> {
    let span = HISTORY as f64;
    let dataset = Dataset::default()
        .marker(ratatui::symbols::Marker::Braille)
        .graph_type(GraphType::Line)
        .style(style)
        .data(points);
    Chart::new(vec![dataset])
        .block(
            Block::bordered()
                .title(title)
                .border_style(theme::border(false)),
        )
        .x_axis(
            Axis::default()
                .bounds([-span, 0.0])
                .labels([format!("-{}s", HISTORY), "now".to_string()])
                .style(theme::dim()),
        )
        .y_axis(
            Axis::default()
                .bounds([0.0, top])
                .labels([label(0.0), label(top / 2.0), label(top)])
                .style(theme::dim()),
        )
}

/// CPU and memory over the last two minutes, each on a labelled scale with its peak.
fn charts(frame: &mut Frame, view: &StatsView, cpu: Rect, mem: Rect) {
    // The newest sample is at 0 s, one a second before it.
    let newest = view.samples.len();
    let at = |i: usize| i as f64 - newest as f64 + 1.0;
    let cpu_points: Vec<(f64, f64)> = view
        .samples
        .iter()
        .enumerate()
        .map(|(i, s)| (at(i), s.cpu_percent))
        .collect();
    let mem_points: Vec<(f64, f64)> = view
        .samples
        .iter()
        .enumerate()
        .map(|(i, s)| (at(i), s.memory as f64))
        .collect();
    let peak_cpu = cpu_points.iter().map(|p| p.1).fold(0.0, f64::max);
    let peak_mem = mem_points.iter().map(|p| p.1).fold(0.0, f64::max);
    let cpu_chart = chart(
        format!(" CPU % (peak {peak_cpu:.2}) "),
        &cpu_points,
        scale(peak_cpu, 1.0),
        |v| format!("{v:.1}%"),
        theme::chart_cpu(),
    );
    frame.render_widget(cpu_chart, cpu);
    let mem_chart = chart(
        format!(" memory (peak {}) ", human_size(peak_mem as i64)),
        &mem_points,
        scale(peak_mem, 1024.0 * 1024.0),
        |v| human_size(v as i64),
        theme::chart_memory(),
    );
    frame.render_widget(mem_chart, mem);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scales_are_round_and_small_loads_stay_small() {
        assert_eq!(scale(0.1, 1.0), 1.0, "0.1 % takes a tenth of the chart");
        assert_eq!(scale(3.2, 1.0), 5.0);
        assert_eq!(scale(120.0, 1.0), 200.0);
        assert_eq!(scale(0.0, 1.0), 1.0);
    }
}
