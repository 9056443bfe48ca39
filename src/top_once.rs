//! `dockpit top --once [--json]`: the top view's table printed once, for scripts. Each host
//! is read as the view reads it (its running containers, `/info`, one-shot stats), twice a
//! second apart so CPU % and the rates have two readings; the rows are the view's, busiest
//! first.

use std::time::Duration;

use crate::app::list::{Kind, List};
use crate::app::room::Room;
use crate::app::top::{Top, TopRow};
use crate::docker::host::{HostAnswer, HostInfo, HostQuery};
use crate::docker::{ContainerRow, Endpoint, HostId, StreamId, connect, host, listing, stats};

/// Between the two readings.
const APART: Duration = Duration::from_secs(1);

/// One host read: its name, cores and memory, running containers and their two readings.
struct Read {
    name: String,
    info: Option<HostInfo>,
    running: Vec<ContainerRow>,
    readings: [Vec<(crate::docker::ContainerId, stats::Reading)>; 2],
}

async fn read(endpoint: &Endpoint) -> Result<Read, String> {
    let docker = connect::open(endpoint).map_err(|e| e.to_string())?;
    let (docker, _) = connect::negotiate(endpoint, docker)
        .await
        .map_err(|e| format!("{e} ({})", e.hint()))?;
    // The daemon lists only the running ones (`docker ps`), as one streamed listing.
    let options = bollard::query_parameters::ListContainersOptions::default();
    let running: Vec<ContainerRow> = (listing::rows(&docker, &options, 64).await)
        .map_err(|e| crate::docker::OpError::from(e).to_string())?
        .into_iter()
        .filter(|c| c.state.is_running())
        .collect();
    let info = match host::query(&docker, HostQuery::Info).await {
        Ok(HostAnswer::Info(info)) => Some(info),
        _ => None,
    };
    let ids: Vec<_> = running.iter().map(|c| c.id.clone()).collect();
    let first = stats::read(&docker, &ids).await;
    tokio::time::sleep(APART).await;
    let second = stats::read(&docker, &ids).await;
    Ok(Read {
        name: endpoint.short_name(),
        info,
        running,
        readings: [first, second],
    })
}

/// Reads every host at once and prints the table (or JSON); the exit code is 1 when a
/// host could not be read (what it said goes to stderr; the others are printed).
pub async fn run(endpoints: Vec<Endpoint>, json: bool) -> u8 {
    let reads = futures::future::join_all(endpoints.iter().map(read)).await;
    let mut top = Top::default();
    let mut failed = false;
    let mut hosts = Vec::new();
    for ((i, endpoint), read) in endpoints.iter().enumerate().zip(reads) {
        let host = HostId(u16::try_from(i).unwrap_or(u16::MAX));
        match read {
            Ok(read) => hosts.push((host, read)),
            Err(e) => {
                eprintln!("dockpit: {}: {e}", endpoint.label());
                failed = true;
            }
        }
    }
    // The second reading a second after the first (the rates' clock is the daemon's own
    // timestamps when it gives them).
    let now = crate::run::now();
    for (host, read) in &mut hosts {
        if let Some(info) = read.info {
            top.infos.insert(*host, info);
        }
        for (at, readings) in [now - 1, now].into_iter().zip(&mut read.readings) {
            let readings = std::mem::take(readings);
            let asked = readings.len();
            top.schedule.answered(at, *host, readings, 0, asked);
        }
    }
    top.now = now;
    let mut list = List::new(top, Room::new(StreamId(0), HostId(0)));
    list.sort = Some((crate::app::top::CPU_COLUMN, true));
    let names: Vec<String> = hosts.iter().map(|(_, r)| r.name.clone()).collect();
    for (host, read) in &hosts {
        let rows = list.kind.rows(*host, &read.name, read.running.iter());
        list.answer(*host, rows, 1, &names);
    }
    let shown: Vec<(HostId, &TopRow)> = (list.shown(&names).into_iter())
        .map(|r| (r.host, &r.row))
        .collect();
    let text = match json {
        true => to_json(&shown, &hosts),
        false => table(&list, &shown),
    };
    println!("{text}");
    u8::from(failed)
}

/// The table as the view draws it: the kind's headers and cells, each column as wide as
/// its widest cell.
fn table(list: &List<Top>, shown: &[(HostId, &TopRow)]) -> String {
    let headers: Vec<String> = (list.kind.columns().iter())
        .map(|c| c.header.to_string())
        .collect();
    let rows: Vec<Vec<String>> = std::iter::once(headers)
        .chain(shown.iter().map(|(_, r)| list.kind.cells(r)))
        .collect();
    let widths: Vec<usize> = (0..rows[0].len())
        .map(|i| {
            (rows.iter())
                .map(|r| r.get(i).map_or(0, |c| c.chars().count()))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let lines: Vec<String> = (rows.iter())
        .map(|row| {
            let cells: Vec<String> = (row.iter().zip(&widths))
                .map(|(cell, w)| format!("{cell:<w$}", w = *w))
                .collect();
            cells.join("  ").trim_end().to_string()
        })
        .collect();
    lines.join("\n")
}

/// `{"hosts": [{"name", "cpus", "memory", "containers": [{…}, …]}]}`, each host's
/// containers busiest first; `null` where a figure is not known.
fn to_json(shown: &[(HostId, &TopRow)], hosts: &[(HostId, Read)]) -> String {
    let hosts: Vec<serde_json::Value> = (hosts.iter())
        .map(|(host, read)| {
            let containers: Vec<serde_json::Value> = (shown.iter())
                .filter(|(h, r)| h == host && !r.id.is_empty())
                .map(|(_, r)| {
                    serde_json::json!({
                        "id": r.id,
                        "name": r.name,
                        "cpu_percent": r.cpu,
                        "host_cpu_percent": r.host_cpu,
                        "memory_bytes": r.memory,
                        "memory_limit_bytes": r.limit,
                        "memory_percent": r.memory_percent,
                        "net_rx_bytes_per_second": r.net_rx,
                        "net_tx_bytes_per_second": r.net_tx,
                        "block_read_bytes_per_second": r.block_read,
                        "block_write_bytes_per_second": r.block_write,
                        "pids": r.pids,
                    })
                })
                .collect();
            serde_json::json!({
                "name": read.name,
                "cpus": read.info.map(|i| i.cpus),
                "memory_bytes": read.info.map(|i| i.memory),
                "containers": containers,
            })
        })
        .collect();
    let all = serde_json::json!({ "hosts": hosts });
    serde_json::to_string_pretty(&all).unwrap_or_default()
}
