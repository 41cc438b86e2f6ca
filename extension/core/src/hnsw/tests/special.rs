use super::data::*;
