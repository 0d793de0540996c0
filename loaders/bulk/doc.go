// Package bulk is the bulk loading pipeline: it streams CSV (neo4j-admin header
// style) and JSON Lines files, validates every row with the model's rules against
// the rows before it and the graph, writes valid rows in batches through the
// loaders' one batch writer (loaders.Writer), writes rejected rows to a reject
// report, and checkpoints after every committed batch so a killed load resumes.
// Like loaders, it imports graph/model, loaders and the standard library only.
package bulk
