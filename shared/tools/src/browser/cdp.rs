//! A minimal Chrome DevTools Protocol session: commands with ids over one websocket, events
//! queued until asked for, and (when guarding) every network request the page makes checked
//! against the egress policy before Chromium may send it.

use super::guard;
use futures::{SinkExt, StreamExt};
use plasma_http::outbound::Egress;
use serde_json::{Value, json};
use std::collections::VecDeque;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// Screenshots arrive as one base64 message; a full-HD PNG can pass the default 16 MiB frame.
const MAX_MESSAGE: usize = 128 << 20;

pub(crate) struct Cdp {
    ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
    next_id: u64,
    /// The page session commands go to once attached (flattened sessions).
    session: Option<String>,
    events: VecDeque<(String, Value)>,
    guard: Option<Egress>,
    /// Requests the guard failed, with why, to explain a failed navigation.
    pub(crate) blocked: Vec<String>,
}

impl Cdp {
    pub(crate) async fn connect(ws_url: &str) -> Result<Self, String> {
        let config = WebSocketConfig::default()
            .max_message_size(Some(MAX_MESSAGE))
            .max_frame_size(Some(MAX_MESSAGE));
        let (ws, _) = tokio_tungstenite::connect_async_with_config(ws_url, Some(config), false)
            .await
            .map_err(|e| format!("connecting to DevTools at {ws_url} failed: {e}"))?;
        Ok(Self {
            ws,
            next_id: 1,
            session: None,
            events: VecDeque::new(),
            guard: None,
            blocked: Vec::new(),
        })
    }

    /// Opens a fresh tab and sends every later command to it.
    pub(crate) async fn attach_new_page(&mut self) -> Result<(), String> {
        let target = self
            .call("Target.createTarget", json!({ "url": "about:blank" }))
            .await?;
        let target_id = target["targetId"].as_str().ok_or("no targetId")?.to_owned();
        let attached = self
            .call(
                "Target.attachToTarget",
                json!({ "targetId": target_id, "flatten": true }),
            )
            .await?;
        self.session = Some(
            attached["sessionId"]
                .as_str()
                .ok_or("no sessionId")?
                .to_owned(),
        );
        Ok(())
    }

    /// From now on, pause every request of the page and let only allowed ones through.
    pub(crate) async fn guard_requests(&mut self, egress: Egress) -> Result<(), String> {
        self.guard = Some(egress);
        self.call(
            "Fetch.enable",
            json!({ "patterns": [{ "urlPattern": "*", "requestStage": "Request" }] }),
        )
        .await
        .map(drop)
    }

    pub(crate) fn clear_events(&mut self) {
        self.events.clear();
    }

    pub(crate) async fn call(&mut self, method: &str, params: Value) -> Result<Value, String> {
        let id = self.send(method, params, self.session.clone()).await?;
        loop {
            let message = self.receive().await?;
            if message["id"].as_u64() != Some(id) {
                self.dispatch(message).await?;
                continue;
            }
            if let Some(error) = message.get("error") {
                return Err(format!(
                    "{method} failed: {}",
                    error["message"].as_str().unwrap_or("unknown error")
                ));
            }
            return Ok(message["result"].clone());
        }
    }

    /// The next `method` event (already queued or still to come); the caller bounds the wait.
    pub(crate) async fn event(&mut self, method: &str) -> Result<Value, String> {
        loop {
            if let Some(at) = self.events.iter().position(|(m, _)| m == method) {
                return Ok(self.events.remove(at).expect("position is in range").1);
            }
            let message = self.receive().await?;
            self.dispatch(message).await?;
        }
    }

    async fn send(
        &mut self,
        method: &str,
        params: Value,
        session: Option<String>,
    ) -> Result<u64, String> {
        let id = self.next_id;
        self.next_id += 1;
        let mut message = json!({ "id": id, "method": method, "params": params });
        if let Some(session) = session {
            message["sessionId"] = session.into();
        }
        self.ws
            .send(Message::text(message.to_string()))
            .await
            .map_err(|e| format!("sending {method} to the browser failed: {e}"))?;
        Ok(id)
    }

    async fn receive(&mut self) -> Result<Value, String> {
        loop {
            let frame = self
                .ws
                .next()
                .await
                .ok_or("the browser closed the DevTools connection")?
                .map_err(|e| format!("reading from the browser failed: {e}"))?;
            match frame {
                Message::Text(text) => {
                    return serde_json::from_str(text.as_str())
                        .map_err(|e| format!("the browser sent malformed JSON: {e}"));
                }
                Message::Close(_) => {
                    return Err("the browser closed the DevTools connection".into());
                }
                _ => continue,
            }
        }
    }

    /// Events are queued, except paused requests, which are answered at once: the page is
    /// stalled until they are.
    async fn dispatch(&mut self, message: Value) -> Result<(), String> {
        let Some(method) = message["method"].as_str() else {
            return Ok(()); // the answer to a command nobody waits for
        };
        if method != "Fetch.requestPaused" {
            self.events
                .push_back((method.to_owned(), message["params"].clone()));
            return Ok(());
        }
        let session = message["sessionId"].as_str().map(str::to_owned);
        let request_id = message["params"]["requestId"].clone();
        let url = message["params"]["request"]["url"]
            .as_str()
            .unwrap_or_default();
        let verdict = match self.guard {
            Some(egress) => guard::check(egress, url).await,
            None => Ok(()),
        };
        match verdict {
            Ok(()) => {
                self.send(
                    "Fetch.continueRequest",
                    json!({ "requestId": request_id }),
                    session,
                )
                .await?;
            }
            Err(why) => {
                tracing::info!(%url, %why, "browser request refused by the egress guard");
                self.blocked.push(why);
                self.send(
                    "Fetch.failRequest",
                    json!({ "requestId": request_id, "errorReason": "BlockedByClient" }),
                    session,
                )
                .await?;
            }
        }
        Ok(())
    }
}
