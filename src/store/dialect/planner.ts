/**
 * Steering the query planner where it cannot know better. SQLite chooses indexes by rule, without
 * statistics of how many rows a range holds; when the caller knows that a range is wide and
 * another condition narrow, `unindexed(column)` hides the column from index selection (unary
 * plus: the same value, no longer an index column), so the narrow condition's index drives.
 * PostgreSQL plans by statistics; there the expression changes nothing it would not choose.
 */
import { sql, type RawBuilder } from 'kysely';

export const unindexed = <T>(column: string): RawBuilder<T> => sql<T>`+${sql.ref(column)}`;
