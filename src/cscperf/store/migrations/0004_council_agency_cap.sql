-- The regional agency pay cap is council configuration the indicator library reads
-- (workforce.agency_above_cap); it sits beside the council's LA code and region.
ALTER TABLE council ADD COLUMN agency_hourly_cap DOUBLE;
