-- Person-week metrics for notebooks and for bucketed distributions. Nothing outside the warehouse
-- may show a row of this table: the API returns only counts of people per bucket.
SELECT * FROM intermediate.int_person_week_metrics
