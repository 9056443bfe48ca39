//! The Docker tasks of every host: one worker each, their events merged into one stream
//! tagged with the host, commands sent to the host they are for.

use std::collections::HashMap;
use std::time::Duration;

use tokio::sync::mpsc::{self, UnboundedReceiver, UnboundedSender};

use super::worker::Worker;
use super::{Command, DockerEvent, Endpoint, HostId};

pub struct Fleet {
    workers: HashMap<HostId, UnboundedSender<Command>>,
    events: UnboundedSender<(HostId, DockerEvent)>,
    interval: Duration,
}

impl Fleet {
    /// A fleet of no hosts yet, and the stream its hosts' events arrive on.
    pub fn new(interval: Duration) -> (Self, UnboundedReceiver<(HostId, DockerEvent)>) {
        let (events, rx) = mpsc::unbounded_channel();
        let fleet = Self {
            workers: HashMap::new(),
            events,
            interval,
        };
        (fleet, rx)
    }

    /// Starts `host`'s worker (connecting, listing, following its events).
    pub fn add(&mut self, host: HostId, endpoint: Endpoint) {
        let (commands, rx) = mpsc::unbounded_channel();
        let (tx, mut from_worker) = mpsc::unbounded_channel();
        let worker = Worker {
            endpoint,
            interval: self.interval,
            events: tx,
            commands: rx,
        };
        tokio::spawn(worker.run());
        let events = self.events.clone();
        tokio::spawn(async move {
            while let Some(event) = from_worker.recv().await {
                if events.send((host, event)).is_err() {
                    break;
                }
            }
        });
        self.workers.insert(host, commands);
    }

    /// Ends `host`'s worker, and with it its streams and sessions.
    pub fn remove(&mut self, host: HostId) {
        self.workers.remove(&host);
    }

    pub fn send(&self, host: HostId, command: Command) {
        match self.workers.get(&host) {
            Some(worker) => {
                if worker.send(command).is_err() {
                    tracing::error!(host = host.0, "the docker task is gone");
                }
            }
            None => tracing::debug!(host = host.0, "a command for a host no longer live"),
        }
    }
}
