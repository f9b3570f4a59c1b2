//! The tools' configuration from the environment (see the crate docs for the variables).

use crate::browser::BrowserSettings;
use crate::http_request::HttpPolicy;
use crate::notify::NotifySettings;
use plasma_http::outbound::Egress;
use plasma_mcp::RemoteServer;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

const DEFAULT_MCP_TIMEOUT_SECONDS: f64 = 30.0;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ToolSettings {
    pub http: HttpPolicy,
    pub notify: NotifySettings,
    pub mcp_servers: BTreeMap<String, RemoteServer>,
    pub browser: BrowserSettings,
    /// `notify` and `mcp.call` fall back to the operator's targets, secret and servers for a
    /// tenant without settings of its own (`PLASMA_TOOLS_OPERATOR_DEFAULTS`); off, such a
    /// tenant's calls fail with `*.NotConfigured`.
    pub operator_defaults: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{variable}: {problem}")]
pub struct SettingsError {
    pub variable: &'static str,
    pub problem: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct McpServerVar {
    url: String,
    bearer: Option<String>,
    timeout_seconds: Option<f64>,
}

impl ToolSettings {
    pub fn from_env() -> Result<Self, SettingsError> {
        Self::from_vars(|name| std::env::var(name).ok())
    }

    /// `var` answers a variable's value; empty values count as unset.
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Result<Self, SettingsError> {
        let var = |name: &str| {
            var(name)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        let flag = |variable: &'static str| match var(variable).as_deref() {
            None => Ok(false),
            Some(v) if ["1", "true", "yes", "on"].contains(&v.to_ascii_lowercase().as_str()) => {
                Ok(true)
            }
            Some(v) if ["0", "false", "no", "off"].contains(&v.to_ascii_lowercase().as_str()) => {
                Ok(false)
            }
            Some(v) => Err(SettingsError {
                variable,
                problem: format!("expected true or false, not {v:?}"),
            }),
        };
        let allow_private = flag("PLASMA_AGENT_ALLOW_PRIVATE")?;
        let operator_defaults = flag("PLASMA_TOOLS_OPERATOR_DEFAULTS")?;
        let egress = Egress { allow_private };
        let allow_hosts = var("PLASMA_AGENT_HTTP_ALLOW")
            .map(|v| {
                v.split(',')
                    .map(str::trim)
                    .filter(|p| !p.is_empty())
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        let mcp_servers = match var("PLASMA_MCP_SERVERS") {
            None => BTreeMap::new(),
            Some(json) => mcp_servers(&json, egress)?,
        };
        Ok(Self {
            http: HttpPolicy {
                allow_hosts,
                egress,
                ..HttpPolicy::default()
            },
            notify: NotifySettings {
                slack_webhook_url: var("PLASMA_SLACK_WEBHOOK_URL"),
                webhook_url: var("PLASMA_NOTIFY_WEBHOOK_URL"),
                webhook_secret: var("PLASMA_NOTIFY_WEBHOOK_SECRET"),
                egress,
                ..NotifySettings::default()
            },
            mcp_servers,
            operator_defaults,
            browser: BrowserSettings {
                chromium: var("PLASMA_CHROMIUM_PATH").map(PathBuf::from),
                egress,
                ..BrowserSettings::default()
            },
        })
    }
}

fn mcp_servers(
    json: &str,
    egress: Egress,
) -> Result<BTreeMap<String, RemoteServer>, SettingsError> {
    let error = |problem: String| SettingsError {
        variable: "PLASMA_MCP_SERVERS",
        problem,
    };
    let parsed: BTreeMap<String, McpServerVar> = serde_json::from_str(json).map_err(|e| {
        error(format!(
            "expected {{\"name\": {{\"url\": ..., \"bearer\": ..., \"timeout_seconds\": ...}}}}: {e}"
        ))
    })?;
    parsed
        .into_iter()
        .map(|(name, server)| {
            let seconds = server
                .timeout_seconds
                .unwrap_or(DEFAULT_MCP_TIMEOUT_SECONDS);
            if !(seconds.is_finite() && seconds > 0.0 && seconds <= 3600.0) {
                return Err(error(format!(
                    "{name}: timeout_seconds must be between 0 and 3600"
                )));
            }
            plasma_http::outbound::check_url(egress, &server.url)
                .map_err(|e| error(format!("{name}: {e}")))?;
            Ok((
                name,
                RemoteServer {
                    url: server.url,
                    bearer: server.bearer,
                    timeout: Duration::from_secs_f64(seconds),
                    egress,
                },
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: BTreeMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name| map.get(name).cloned()
    }

    #[test]
    fn nothing_set_means_nothing_allowed_or_configured() {
        let settings = ToolSettings::from_vars(vars(&[])).unwrap();
        assert_eq!(settings, ToolSettings::default());
        assert!(settings.http.allow_hosts.is_empty());
        assert!(!settings.http.egress.allow_private);
        assert_eq!(settings.browser.chromium, None);
    }

    #[test]
    fn every_variable_is_read() {
        let settings = ToolSettings::from_vars(vars(&[
            ("PLASMA_AGENT_HTTP_ALLOW", " api.example.com, *.hooks.dev ,,"),
            ("PLASMA_AGENT_ALLOW_PRIVATE", "TRUE"),
            ("PLASMA_SLACK_WEBHOOK_URL", "https://hooks.slack.com/services/T/B/x"),
            ("PLASMA_NOTIFY_WEBHOOK_URL", "https://receiver.example/hook"),
            ("PLASMA_NOTIFY_WEBHOOK_SECRET", "whsec_c2VjcmV0"),
            (
                "PLASMA_MCP_SERVERS",
                r#"{"docs": {"url": "http://127.0.0.1:9/mcp", "bearer": "t0k", "timeout_seconds": 5},
                    "search": {"url": "https://search.example/mcp"}}"#,
            ),
            ("PLASMA_CHROMIUM_PATH", "/usr/bin/chromium"),
            ("PLASMA_TOOLS_OPERATOR_DEFAULTS", "true"),
        ]))
        .unwrap();
        assert!(settings.operator_defaults);
        assert_eq!(
            settings.http.allow_hosts,
            ["api.example.com", "*.hooks.dev"]
        );
        assert!(settings.http.egress.allow_private);
        assert!(settings.notify.egress.allow_private);
        assert!(settings.browser.egress.allow_private);
        assert_eq!(
            settings.notify.slack_webhook_url.as_deref(),
            Some("https://hooks.slack.com/services/T/B/x")
        );
        assert_eq!(
            settings.notify.webhook_url.as_deref(),
            Some("https://receiver.example/hook")
        );
        assert_eq!(
            settings.notify.webhook_secret.as_deref(),
            Some("whsec_c2VjcmV0")
        );
        let docs = &settings.mcp_servers["docs"];
        assert_eq!(docs.url, "http://127.0.0.1:9/mcp");
        assert_eq!(docs.bearer.as_deref(), Some("t0k"));
        assert_eq!(docs.timeout, Duration::from_secs(5));
        assert!(docs.egress.allow_private);
        let search = &settings.mcp_servers["search"];
        assert_eq!(search.bearer, None);
        assert_eq!(search.timeout, Duration::from_secs(30));
        assert_eq!(
            settings.browser.chromium,
            Some(PathBuf::from("/usr/bin/chromium"))
        );
    }

    #[test]
    fn bad_values_name_their_variable() {
        for (name, value) in [
            ("PLASMA_AGENT_ALLOW_PRIVATE", "maybe"),
            ("PLASMA_TOOLS_OPERATOR_DEFAULTS", "sometimes"),
            ("PLASMA_MCP_SERVERS", "[1]"),
            (
                "PLASMA_MCP_SERVERS",
                r#"{"x": {"url": "https://a.example", "token": "t"}}"#,
            ),
            (
                "PLASMA_MCP_SERVERS",
                r#"{"x": {"url": "https://a.example", "timeout_seconds": 0}}"#,
            ),
            // A private MCP server without PLASMA_AGENT_ALLOW_PRIVATE fails at start, not per call.
            (
                "PLASMA_MCP_SERVERS",
                r#"{"x": {"url": "http://127.0.0.1:9/mcp"}}"#,
            ),
        ] {
            let error = ToolSettings::from_vars(vars(&[(name, value)])).unwrap_err();
            assert_eq!(error.variable, name, "{value}");
        }
    }
}
