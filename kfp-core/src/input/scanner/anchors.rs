//! Anchors and aliases: where an anchored node ends, its size with aliases expanded, and the limits on
//! what aliases may repeat.

use super::{Scan, Scanner};
use crate::input::{ALIAS_BYTES_PER_BYTE, MIN_ALIAS_BYTES, MIN_ALIAS_NODES};

/// Nodes and bytes of scalar text, counted with aliases expanded.
#[derive(Clone, Copy, Default)]
pub(super) struct Size {
    pub(super) nodes: u64,
    pub(super) bytes: u64,
}

/// Where an anchored node ends.
#[derive(Clone, Copy)]
pub(super) enum AnchorEnd {
    /// Not known before the next token: the node starts there.
    Pending,
    /// A flow collection: when the flow level falls back to this.
    Flow(usize),
    /// A block node on the lines after the anchor: at the first token at
    /// `indent` or left of it (a `-` at `indent` continues a mapping value's
    /// sequence).
    Block { indent: isize, after_value: bool },
}

pub(super) struct OpenAnchor<'t> {
    pub(super) name: &'t [u8],
    /// The expanded size when the anchor was read.
    pub(super) start: Size,
    pub(super) line: usize,
    /// libyaml's block indentation at the anchor.
    pub(super) indent: isize,
    /// The anchor follows a mapping's `:`.
    pub(super) after_value: bool,
    pub(super) end: AnchorEnd,
}

impl<'t> Scanner<'t> {
    pub(super) fn count_node(&mut self, bytes: usize) {
        self.size.nodes += 1;
        self.size.bytes += bytes as u64;
    }

    /// A scalar from `start` to `pos` was read: count it, and close its anchor.
    pub(super) fn scalar(&mut self, start: usize) {
        self.count_node(self.pos - start);
        if self.anchors.last().is_some_and(|anchor| matches!(anchor.end, AnchorEnd::Pending)) {
            self.close_anchor();
        }
    }

    /// Decides where the anchor waiting for its node ends, at the token after it.
    pub(super) fn resolve_pending_anchor(&mut self, starts_node: bool, column: usize) {
        let c = self.byte(self.pos);
        let is_entry = c == b'-' && self.is_blankz(self.pos + 1);
        let (flow_level, line) = (self.flow_level, self.line);
        let Some(anchor) = self.anchors.last_mut() else { return };
        if !matches!(anchor.end, AnchorEnd::Pending) || c == b'!' {
            return;
        }
        let same_line = anchor.line == line;
        if (flow_level > 0 || same_line) && matches!(c, b'[' | b'{') {
            anchor.end = AnchorEnd::Flow(flow_level);
        } else if flow_level > 0 {
            // A scalar, or nothing before `,`, `]`, `}`, `:`.
            if !starts_node {
                self.close_anchor();
            }
        } else if !(same_line && starts_node) {
            // On a later line a scalar may be the first key of a mapping.
            let (indent, after_value) = (anchor.indent, anchor.after_value);
            anchor.end = AnchorEnd::Block { indent, after_value };
            if Self::ends_block(indent, after_value, column, is_entry) {
                self.close_anchor();
            }
        }
    }

    fn ends_block(indent: isize, after_value: bool, column: usize, is_entry: bool) -> bool {
        let column = column as isize;
        column < indent || (column == indent && !(after_value && is_entry))
    }

    /// Closes the block nodes of anchors that end at a token at `column`.
    pub(super) fn close_block_anchors(&mut self, column: usize, is_entry: bool) {
        if self.flow_level > 0 {
            return;
        }
        while let Some(anchor) = self.anchors.last() {
            match anchor.end {
                AnchorEnd::Block { indent, after_value }
                    if anchor.line < self.line && Self::ends_block(indent, after_value, column, is_entry) =>
                {
                    self.close_anchor()
                }
                _ => break,
            }
        }
    }

    pub(super) fn close_all_block_anchors(&mut self) {
        while self.anchors.last().is_some_and(|anchor| matches!(anchor.end, AnchorEnd::Block { .. })) {
            self.close_anchor();
        }
    }

    pub(super) fn close_flow_anchors(&mut self) {
        while self
            .anchors
            .last()
            .is_some_and(|anchor| matches!(anchor.end, AnchorEnd::Flow(level) if level == self.flow_level))
        {
            self.close_anchor();
        }
    }

    fn close_anchor(&mut self) {
        if let Some(anchor) = self.anchors.pop() {
            if let Some(count) = self.open.get_mut(anchor.name) {
                *count -= 1;
            }
            let size =
                Size { nodes: self.size.nodes - anchor.start.nodes, bytes: self.size.bytes - anchor.start.bytes };
            self.defined.insert(anchor.name, size);
        }
    }

    /// `*name`: the node of `&name` again.
    pub(super) fn alias(&mut self, name: &'t [u8]) -> Scan {
        let shown = String::from_utf8_lossy(name).into_owned();
        if self.open.get(name).is_some_and(|&count| count > 0) {
            self.pos -= name.len() + 1;
            return Err(self.refuse(format!(
                "alias `*{shown}` is inside the node of its anchor `&{shown}`; a recursive document cannot be read"
            )));
        }
        // serde_yaml reports an unknown anchor; libyaml's scanner reads on.
        let size = self.defined.get(name).copied().unwrap_or(Size { nodes: 1, bytes: 0 });
        self.repeated.nodes = self.repeated.nodes.saturating_add(size.nodes);
        self.repeated.bytes = self.repeated.bytes.saturating_add(size.bytes);
        self.size.nodes = self.size.nodes.saturating_add(size.nodes);
        self.size.bytes = self.size.bytes.saturating_add(size.bytes);
        let max = self.max_repeated;
        if self.repeated.nodes > max.nodes || self.repeated.bytes > max.bytes {
            self.pos -= name.len() + 1;
            let what = if self.repeated.nodes > max.nodes {
                format!("more than {} nodes (at most {MIN_ALIAS_NODES} or one per byte of the text)", max.nodes)
            } else {
                format!(
                    "more than {} bytes of text (at most {MIN_ALIAS_BYTES} or {ALIAS_BYTES_PER_BYTE} times the text)",
                    max.bytes
                )
            };
            return Err(self.refuse(format!(
                "aliases repeat {what} at `*{shown}`; write the repeated part out instead of aliasing it"
            )));
        }
        Ok(())
    }
}
