//! What the perimeter model is computed from, shared by every part of it.

use crate::index::Index;
use crate::inventory::AccountInventory;
use crate::options::CheckOptions;

/// What the perimeter model is computed from: one account's inventory, its index and the
/// options (which header names are secrets …).
#[derive(Debug, Clone, Copy)]
pub struct Scope<'a> {
    pub account: &'a AccountInventory,
    pub index: &'a Index<'a>,
    pub options: &'a CheckOptions,
}
