//! [`Llm`] on Amazon Bedrock's Converse API, which takes the same request shape for every
//! model family, so switching models is a configuration change (`PLASMA_BEDROCK_MODEL_ID`).

use crate::errors::{build_error, sdk_error};
use async_trait::async_trait;
use aws_sdk_bedrockruntime::Client;
use aws_sdk_bedrockruntime::types::{
    ContentBlock, ConversationRole, InferenceConfiguration, Message, SystemContentBlock,
};
use plasma_core::{Completion, CompletionOutput, Llm, PortError, PortResult, Role};

pub struct BedrockLlm {
    client: Client,
    model_id: String,
}

impl BedrockLlm {
    pub fn new(client: Client, model_id: String) -> Self {
        Self { client, model_id }
    }

    /// A client from the platform's SDK configuration (credentials, region, endpoint).
    pub fn from_sdk(sdk: &aws_config::SdkConfig, model_id: String) -> Self {
        Self::new(Client::new(sdk), model_id)
    }
}

#[async_trait]
impl Llm for BedrockLlm {
    async fn complete(&self, request: Completion) -> PortResult<CompletionOutput> {
        const OP: &str = "bedrock Converse";
        // The API takes i32; anything larger than i32::MAX is beyond every model anyway.
        let max_tokens = i32::try_from(request.max_tokens).unwrap_or(i32::MAX);
        let mut call = self
            .client
            .converse()
            .model_id(&self.model_id)
            .inference_config(
                InferenceConfiguration::builder()
                    .max_tokens(max_tokens)
                    .temperature(request.temperature)
                    .build(),
            );
        if let Some(system) = request.system {
            call = call.system(SystemContentBlock::Text(system));
        }
        for message in request.messages {
            let role = match message.role {
                Role::User => ConversationRole::User,
                Role::Assistant => ConversationRole::Assistant,
            };
            let message = Message::builder()
                .role(role)
                .content(ContentBlock::Text(message.text))
                .build()
                .map_err(|e| build_error(OP, e))?;
            call = call.messages(message);
        }
        let response = call.send().await.map_err(|e| sdk_error(OP, e))?;
        // A reply may hold several blocks (text around reasoning or tool use); the text ones
        // are the answer.
        let text = match response.output() {
            Some(output) => output
                .as_message()
                .map_err(|_| PortError::Backend(format!("{OP}: the reply is not a message")))?
                .content()
                .iter()
                .filter_map(|block| block.as_text().ok())
                .map(String::as_str)
                .collect::<Vec<_>>()
                .concat(),
            None => return Err(PortError::Backend(format!("{OP}: the reply is empty"))),
        };
        let (input_tokens, output_tokens) = response
            .usage()
            .map(|u| (u.input_tokens(), u.output_tokens()))
            .unwrap_or_default();
        Ok(CompletionOutput {
            text,
            // Counts are never negative; a malformed one counts as none.
            input_tokens: u32::try_from(input_tokens).unwrap_or(0),
            output_tokens: u32::try_from(output_tokens).unwrap_or(0),
            stop_reason: response.stop_reason().as_str().to_string(),
        })
    }

    fn model(&self) -> &str {
        &self.model_id
    }
}
