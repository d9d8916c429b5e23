extension SchemaMigration {
    /// Version 9: attribute templates (`AttributeShape`), so that an event whose attributes have the
    /// shape of earlier ones stores the template's id and its numbers instead of the whole JSON.
    ///
    /// Events stored before keep their text (`shape_id` NULL), and so does any event whose template
    /// is new: reads join the template back (`StoreSQL.eventSource`) and give the same text either way.
    static let attributeShapes = SchemaMigration(version: 9, summary: "attribute templates shared by events", sql: """
        CREATE TABLE attribute_shapes (
            id       INTEGER PRIMARY KEY,       -- what events.shape_id holds
            template TEXT NOT NULL UNIQUE       -- attribute JSON with each number replaced by the byte 0x01
        );
        ALTER TABLE events ADD COLUMN shape_id INTEGER;  -- attribute_shapes.id; NULL: attributes holds the whole JSON
        """)
}
