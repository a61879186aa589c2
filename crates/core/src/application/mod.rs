//! The submitted application and the district's field mappings.

mod form;
mod mapping;

pub use form::{Application, ApplicationId, ApplicationStatus, ContactBlock, RequestedCourse};
pub use mapping::{
    ContactFieldMapping, ContactOrderMapping, FieldMappings, FieldTarget, MappingError, ProtectedField,
    StudentFieldMapping, TargetTable,
};
