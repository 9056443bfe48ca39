//! `b` in the containers pane: the selected container's first HTTP-looking published port,
//! opened in the browser (`$BROWSER`, else `xdg-open` / `open`) and copied.

use super::App;
use super::effects::{Effects, Local};

/// Container ports that usually speak HTTP, the likeliest first.
const HTTP_PORTS: [u64; 10] = [80, 443, 8080, 8000, 3000, 5000, 8443, 8888, 9000, 4000];

/// A published port as `docker ps` prints it: host address, host port, container port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Published {
    pub ip: String,
    pub public: u64,
    pub private: u64,
}

/// The published TCP ports in a PORTS cell ("0.0.0.0:8080->80/tcp, [::]:8080->80/tcp").
pub fn published(ports: &str) -> Vec<Published> {
    ports
        .split(", ")
        .filter_map(|item| {
            let (from, to) = item.split_once("->")?;
            let private = to.strip_suffix("/tcp")?.parse().ok()?;
            let (ip, public) = from.rsplit_once(':')?;
            let ip = ip.trim_start_matches('[').trim_end_matches(']').to_string();
            Some(Published {
                ip,
                public: public.parse().ok()?,
                private,
            })
        })
        .collect()
}

/// The first HTTP-looking published port of a PORTS cell, else the first TCP one.
pub fn best(ports: &str) -> Option<Published> {
    let rank = |p: &Published| {
        HTTP_PORTS
            .iter()
            .position(|h| *h == p.private)
            .unwrap_or(99)
    };
    published(ports).into_iter().min_by_key(rank)
}

/// The URL of the first HTTP-looking port (else the first TCP one) on `host` (the docker
/// host's name; `localhost` for a local socket).
pub fn url(ports: &str, host: &str) -> Option<String> {
    best(ports).map(|p| url_of(&p, host))
}

/// Where a published port is reached: `https` for the usual TLS ports, else `http`.
pub fn url_of(port: &Published, host: &str) -> String {
    let scheme = if matches!(port.private, 443 | 8443) {
        "https"
    } else {
        "http"
    };
    let address = match port.ip.as_str() {
        "0.0.0.0" | "::" | "" => host.to_string(),
        ip if ip.contains(':') => format!("[{ip}]"),
        ip => ip.to_string(),
    };
    format!("{scheme}://{address}:{}", port.public)
}

/// Each published TCP port of a PORTS cell as a link: where its text starts in the cell
/// (in characters), how long it is, and its URL on `host`.
pub fn links(ports: &str, host: &str) -> Vec<(usize, usize, String)> {
    let mut at = 0;
    let mut out = Vec::new();
    for item in ports.split(", ") {
        let len = item.chars().count();
        if let [port] = published(item).as_slice() {
            out.push((at, len, url_of(port, host)));
        }
        at += len + 2;
    }
    out
}

/// Each host address of an inspect summary's ports value ("0.0.0.0:8080, :::8080 -> 80/tcp")
/// as a link: where it starts in the value (in characters), how long it is, its URL.
pub fn inspect_links(value: &str, host: &str) -> Vec<(usize, usize, String)> {
    let Some((targets, port)) = value.rsplit_once(" -> ") else {
        return Vec::new();
    };
    let Some(private) = port.strip_suffix("/tcp").and_then(|p| p.parse().ok()) else {
        return Vec::new();
    };
    let mut at = 0;
    let mut out = Vec::new();
    for target in targets.split(", ") {
        let len = target.chars().count();
        let published = (target.rsplit_once(':')).and_then(|(ip, public)| {
            Some(Published {
                ip: ip.to_string(),
                public: public.parse().ok()?,
                private,
            })
        });
        if let Some(port) = published {
            out.push((at, len, url_of(&port, host)));
        }
        at += len + 2;
    }
    out
}

/// The name a published port is reached by on a Docker host: its address for `tcp://`,
/// `localhost` for a local socket; `None` over ssh (its ports are the remote machine's).
pub fn reach(docker_host: &str) -> Option<String> {
    if docker_host.starts_with("ssh://") {
        return None;
    }
    let rest = docker_host
        .strip_prefix("tcp://")
        .or_else(|| docker_host.strip_prefix("https://"))
        .or_else(|| docker_host.strip_prefix("http://"));
    Some(match rest {
        Some(rest) => {
            let hostport = rest.split('/').next().unwrap_or(rest);
            match hostport.rsplit_once(':') {
                Some((host, _)) => host.to_string(),
                None => hostport.to_string(),
            }
        }
        None => "localhost".into(),
    })
}

impl App {
    pub(super) fn open_port(&mut self) -> Effects {
        let Some(row) = self.container_or_refuse() else {
            return Effects::default();
        };
        let docker_host = (self.host(row.host))
            .map(|h| h.spec.docker_host.clone())
            .unwrap_or_default();
        let Some(port) = best(&row.ports) else {
            self.activity
                .refuse(format!("{} publishes no TCP port", row.name));
            return Effects::default();
        };
        match reach(&docker_host) {
            Some(host) => self.open_url(url_of(&port, &host)),
            // Its ports are that machine's: reached through a local forward.
            None => self.forward_port(&row, &docker_host, port),
        }
    }

    /// Copies `url` and opens it in the browser, saying so.
    pub(super) fn open_url(&mut self, url: String) -> Effects {
        let mut effects = super::effects::copy(&mut self.activity, "the URL", &url).effects;
        self.activity.note(format!("opening {url} (copied)"));
        effects.local.push(Local::Open(url));
        effects
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_http_port_is_chosen_and_reached_as_the_host_names_it() {
        let ports = "0.0.0.0:5432->5432/tcp, 127.0.0.1:32774->80/tcp, 53/udp";
        assert_eq!(
            url(ports, "localhost").as_deref(),
            Some("http://127.0.0.1:32774")
        );
        assert_eq!(
            url("0.0.0.0:8443->8443/tcp, [::]:8443->8443/tcp", "build1").as_deref(),
            Some("https://build1:8443")
        );
        assert_eq!(
            url("0.0.0.0:6379->6379/tcp", "localhost").as_deref(),
            Some("http://localhost:6379")
        );
        assert_eq!(url("53/udp", "localhost"), None);
        assert_eq!(
            reach("unix:///var/run/docker.sock").as_deref(),
            Some("localhost")
        );
        assert_eq!(reach("tcp://10.0.0.5:2376").as_deref(), Some("10.0.0.5"));
        assert_eq!(reach("ssh://deploy@build1"), None);
    }

    #[test]
    fn each_published_tcp_port_is_a_link_where_its_text_is() {
        let ports = "53/udp, 0.0.0.0:8080->80/tcp, 127.0.0.1:8443->8443/tcp";
        assert_eq!(
            links(ports, "build1"),
            [
                (8, 20, "http://build1:8080".to_string()),
                (30, 24, "https://127.0.0.1:8443".to_string()),
            ]
        );
        assert!(links("", "localhost").is_empty());
        assert_eq!(
            inspect_links("0.0.0.0:8080, :::8080 -> 80/tcp", "localhost"),
            [
                (0, 12, "http://localhost:8080".to_string()),
                (14, 7, "http://localhost:8080".to_string()),
            ]
        );
        assert!(inspect_links("53/udp", "localhost").is_empty());
        assert!(inspect_links("0.0.0.0:53 -> 53/udp", "localhost").is_empty());
    }
}
