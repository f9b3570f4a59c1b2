//! Adapters for OpenAI-compatible model servers, hosted (OpenAI) or self-hosted (vLLM, Ollama,
//! llama.cpp, text-embeddings-inference, LiteLLM): [`OpenAiEmbedder`] on `/v1/embeddings` and
//! [`OpenAiChat`] ([`plasma_core::Llm`]) on `/v1/chat/completions`.

mod api;
mod chat;
mod embeddings;
#[cfg(test)]
mod testing;

pub use chat::OpenAiChat;
pub use embeddings::OpenAiEmbedder;
