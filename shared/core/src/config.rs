//! Configuration from the environment, with errors that name the variable at fault.

use std::collections::BTreeMap;
use std::path::PathBuf;
use thiserror::Error;

#[derive(Debug, Error, PartialEq)]
pub enum ConfigError {
    #[error("environment variable {0} is required but not set")]
    Missing(String),
    #[error("environment variable {var} is malformed: {why}")]
    Malformed { var: String, why: String },
}

#[derive(Debug, Clone, PartialEq)]
pub enum Backend {
    /// SQLite and files under `data_dir`; no AWS account needed.
    Embedded {
        data_dir: PathBuf,
    },
    Aws(AwsConfig),
}

/// Resource names as template.yaml passes them to every function.
#[derive(Debug, Clone, PartialEq)]
pub struct AwsConfig {
    pub table: String,
    pub bucket: String,
    pub event_bus: String,
    /// Logical queue name → queue URL.
    pub queue_urls: BTreeMap<String, String>,
    pub scheduler_group: String,
    /// Role EventBridge Scheduler assumes to deliver one-time schedules to SQS.
    pub scheduler_role_arn: String,
    /// The OpenSearch collection (or domain) endpoint holding the research index.
    pub search_endpoint: Option<String>,
    /// The KMS key (id, ARN, alias name or alias ARN) that encrypts tenants' secrets; without
    /// it the deployment has no `Cipher`.
    pub kms_key_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub backend: Backend,
}

/// The variable that selects the backend.
pub const BACKEND_VAR: &str = "PLASMA_BACKEND";
pub const DATA_DIR_VAR: &str = "PLASMA_DATA_DIR";
pub const DEFAULT_DATA_DIR: &str = ".plasma";
/// The OpenSearch endpoint of the research index (AWS backend).
pub const SEARCH_ENDPOINT_VAR: &str = "PLASMA_SEARCH_ENDPOINT";
/// The KMS key that encrypts tenants' secrets (AWS backend).
pub const KMS_KEY_ID_VAR: &str = "PLASMA_KMS_KEY_ID";

/// `PLASMA_QUEUE_<NAME>_URL` for the logical queue `name` (`jobs-dlq` → `PLASMA_QUEUE_JOBS_DLQ_URL`).
pub fn queue_url_var(name: &str) -> String {
    format!(
        "PLASMA_QUEUE_{}_URL",
        name.to_ascii_uppercase().replace('-', "_")
    )
}

impl Config {
    /// Read the process environment. `queues` are the logical queue names the AWS backend
    /// needs URLs for.
    pub fn from_env(queues: &[&str]) -> Result<Self, ConfigError> {
        Self::from_lookup(|k| std::env::var(k).ok(), queues)
    }

    pub fn from_lookup(
        get: impl Fn(&str) -> Option<String>,
        queues: &[&str],
    ) -> Result<Self, ConfigError> {
        let required = |var: &str| -> Result<String, ConfigError> {
            match get(var) {
                Some(v) if !v.trim().is_empty() => Ok(v.trim().to_string()),
                Some(_) => Err(ConfigError::Malformed {
                    var: var.into(),
                    why: "empty".into(),
                }),
                None => Err(ConfigError::Missing(var.into())),
            }
        };
        let optional = |var: &str| {
            get(var)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let backend = match get(BACKEND_VAR).as_deref().map(str::trim) {
            None | Some("embedded") => Backend::Embedded {
                data_dir: PathBuf::from(
                    get(DATA_DIR_VAR).unwrap_or_else(|| DEFAULT_DATA_DIR.into()),
                ),
            },
            Some("aws") => {
                let mut queue_urls = BTreeMap::new();
                for q in queues {
                    let var = queue_url_var(q);
                    let url = required(&var)?;
                    if !url.starts_with("http://") && !url.starts_with("https://") {
                        return Err(ConfigError::Malformed {
                            var,
                            why: format!("expected a queue URL, got {url:?}"),
                        });
                    }
                    queue_urls.insert(q.to_string(), url);
                }
                let role = required("PLASMA_SCHEDULER_ROLE_ARN")?;
                if !role.starts_with("arn:") {
                    return Err(ConfigError::Malformed {
                        var: "PLASMA_SCHEDULER_ROLE_ARN".into(),
                        why: format!("expected an IAM role ARN, got {role:?}"),
                    });
                }
                Backend::Aws(AwsConfig {
                    table: required("PLASMA_TABLE")?,
                    bucket: required("PLASMA_BUCKET")?,
                    event_bus: required("PLASMA_EVENT_BUS")?,
                    queue_urls,
                    scheduler_group: required("PLASMA_SCHEDULER_GROUP")?,
                    scheduler_role_arn: role,
                    search_endpoint: optional(SEARCH_ENDPOINT_VAR),
                    kms_key_id: optional(KMS_KEY_ID_VAR),
                })
            }
            Some(other) => {
                return Err(ConfigError::Malformed {
                    var: BACKEND_VAR.into(),
                    why: format!("expected 'embedded' or 'aws', got {other:?}"),
                });
            }
        };
        Ok(Self { backend })
    }

    pub fn backend_name(&self) -> &'static str {
        match self.backend {
            Backend::Embedded { .. } => "embedded",
            Backend::Aws(_) => "aws",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn lookup(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| map.get(k).cloned()
    }

    const AWS: [(&str, &str); 7] = [
        ("PLASMA_BACKEND", "aws"),
        ("PLASMA_TABLE", "t"),
        ("PLASMA_BUCKET", "b"),
        ("PLASMA_EVENT_BUS", "bus"),
        (
            "PLASMA_QUEUE_JOBS_URL",
            "https://sqs.eu-west-1.amazonaws.com/1/jobs",
        ),
        ("PLASMA_SCHEDULER_GROUP", "g"),
        ("PLASMA_SCHEDULER_ROLE_ARN", "arn:aws:iam::1:role/r"),
    ];

    #[test]
    fn defaults_to_embedded_in_dot_plasma() {
        let c = Config::from_lookup(lookup(&[]), &["jobs"]).unwrap();
        assert_eq!(
            c.backend,
            Backend::Embedded {
                data_dir: ".plasma".into()
            }
        );
    }

    #[test]
    fn aws_reads_every_resource() {
        let c = Config::from_lookup(lookup(&AWS), &["jobs"]).unwrap();
        let Backend::Aws(aws) = c.backend else {
            panic!("not aws")
        };
        assert_eq!(aws.table, "t");
        assert_eq!(
            aws.queue_urls["jobs"],
            "https://sqs.eu-west-1.amazonaws.com/1/jobs"
        );
        assert_eq!(aws.kms_key_id, None);
    }

    #[test]
    fn aws_reads_the_optional_kms_key() {
        for (value, expected) in [(" k-1 ", Some("k-1")), ("  ", None)] {
            let mut vars = AWS.to_vec();
            vars.push((KMS_KEY_ID_VAR, value));
            let Backend::Aws(aws) = Config::from_lookup(lookup(&vars), &["jobs"])
                .unwrap()
                .backend
            else {
                panic!("not aws")
            };
            assert_eq!(aws.kms_key_id.as_deref(), expected, "{value:?}");
        }
    }

    #[test]
    fn errors_name_the_variable() {
        let missing: Vec<_> = AWS
            .iter()
            .copied()
            .filter(|(k, _)| *k != "PLASMA_BUCKET")
            .collect();
        assert_eq!(
            Config::from_lookup(lookup(&missing), &["jobs"]),
            Err(ConfigError::Missing("PLASMA_BUCKET".into()))
        );
        let err = Config::from_lookup(lookup(&[("PLASMA_BACKEND", "gcp")]), &[]).unwrap_err();
        assert!(err.to_string().contains("PLASMA_BACKEND"), "{err}");
        let mut bad: Vec<_> = AWS.to_vec();
        bad[4] = ("PLASMA_QUEUE_JOBS_URL", "jobs");
        let err = Config::from_lookup(lookup(&bad), &["jobs"]).unwrap_err();
        assert!(err.to_string().contains("PLASMA_QUEUE_JOBS_URL"), "{err}");
        assert_eq!(queue_url_var("jobs-dlq"), "PLASMA_QUEUE_JOBS_DLQ_URL");
    }
}
