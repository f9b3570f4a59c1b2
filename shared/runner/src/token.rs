//! `plasma token`: a development token for the local runner, so a new user can call the API
//! at once.

use anyhow::{Context, bail};
use chrono::{Duration, Utc};
use clap::Args;
use plasma_platform::plasma_gateway::{DevKey, Role};
use std::path::Path;

#[derive(Args)]
pub struct TokenArgs {
    /// Tenant the token acts for.
    #[arg(long)]
    tenant: String,
    /// Role to grant (repeatable): admin, editor, analyst, viewer, service.
    #[arg(long = "role", required = true)]
    roles: Vec<String>,
    /// Subject (user id) in the token.
    #[arg(long, default_value = "local-dev")]
    subject: String,
    /// Lifetime, e.g. 30m, 1h, 7d.
    #[arg(long, default_value = "1h")]
    ttl: String,
}

pub fn run(data_dir: &Path, args: TokenArgs) -> anyhow::Result<()> {
    if !plasma_platform::plasma_gateway::principal::is_valid_tenant(&args.tenant) {
        bail!("--tenant must be 1-64 characters of letters, digits, '-' and '_'");
    }
    for role in &args.roles {
        role.parse::<Role>().map_err(anyhow::Error::msg)?;
    }
    let ttl = parse_ttl(&args.ttl)?;
    let key = DevKey::load_or_create(data_dir)
        .with_context(|| format!("reading the key in {}", data_dir.display()))?;
    let roles: Vec<&str> = args.roles.iter().map(String::as_str).collect();
    println!(
        "{}",
        key.issue(&args.tenant, &args.subject, &roles, ttl, Utc::now())
    );
    Ok(())
}

fn parse_ttl(s: &str) -> anyhow::Result<Duration> {
    let (n, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len()));
    let n: i64 = n
        .parse()
        .with_context(|| format!("--ttl {s:?}: want a number and a unit (s, m, h, d)"))?;
    let d = match unit {
        "s" => Duration::seconds(n),
        "m" => Duration::minutes(n),
        "h" => Duration::hours(n),
        "d" => Duration::days(n),
        _ => bail!("--ttl {s:?}: unit must be s, m, h or d"),
    };
    if n < 1 || d > Duration::days(30) {
        bail!("--ttl must be between 1s and 30d");
    }
    Ok(d)
}

#[cfg(test)]
mod tests {
    use super::parse_ttl;
    use chrono::Duration;

    #[test]
    fn ttl_units() {
        assert_eq!(parse_ttl("90m").unwrap(), Duration::minutes(90));
        assert_eq!(parse_ttl("7d").unwrap(), Duration::days(7));
        assert!(parse_ttl("1y").is_err());
        assert!(parse_ttl("0h").is_err());
        assert!(parse_ttl("h").is_err());
        assert!(parse_ttl("31d").is_err());
    }
}
