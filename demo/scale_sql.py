"""The set-based SQL of `seed_scale` (demo/scale.py): the big, narrow tables made by INSERT ...
SELECT over generate_series or unnest. Each statement takes named parameters from the generator;
why the appointments never overlap is explained at the top of demo/scale.py."""

# Booked and completed visits: every weekday's slots, thinned evenly to the target count.
ACTIVE_APPOINTMENTS = """
WITH days AS (
    SELECT d::date AS day, (row_number() OVER (ORDER BY d)) - 1 AS day_idx
      FROM generate_series(%(first_day)s::date, %(last_day)s::date,
                           interval '1 day') AS d
     WHERE extract(isodow FROM d) < 6
), derms AS (
    SELECT derm_id, ord - 1 AS derm_idx
      FROM unnest(%(derms)s::bigint[]) WITH ORDINALITY AS t(derm_id, ord)
), pattern AS (
    SELECT * FROM unnest(%(p_variant)s::int[], %(p_seq)s::int[],
                         %(p_off)s::int[], %(p_len)s::int[])
                  AS t(variant, seq, off_min, len_min)
),
candidates AS (
    SELECT days.day, days.day_idx, derms.derm_id, derms.derm_idx, pattern.seq,
           pattern.off_min, pattern.len_min,
           row_number() OVER (ORDER BY days.day_idx, pattern.seq, derms.derm_idx)
               AS rn
      FROM days
      JOIN pattern ON pattern.variant = days.day_idx %% %(variants)s
     CROSS JOIN derms
), chosen AS (
    SELECT *,
           ((day + time '08:00' + off_min * interval '1 minute')
                AT TIME ZONE %(tz)s) AS starts_at,
           ((day_idx * %(max_slots)s + seq) * %(n_derms)s + derm_idx) AS x,
           (derm_idx + day_idx) %% %(n_derms)s AS room_idx
      FROM candidates
     WHERE floor(rn::numeric * %(target)s / %(capacity)s)
           > floor((rn - 1)::numeric * %(target)s / %(capacity)s)
)
INSERT INTO scheduling_appointment
    (patient_id, dermatologist_id, room_id, starts_at, ends_at, kind, status,
     cancellation_reason, front_desk_note, booked_by_id, booked_at, checked_in_at)
SELECT p.id, chosen.derm_id,
       CASE WHEN room_idx < %(n_rooms)s
            THEN (%(rooms)s::bigint[])[room_idx + 1] END,
       starts_at, starts_at + len_min * interval '1 minute',
       (%(kinds)s::text[])[1 + (x %% array_length(%(kinds)s::text[], 1))],
       CASE WHEN starts_at + len_min * interval '1 minute' < %(now)s
            THEN 'completed' ELSE 'booked' END,
       '', '', %(desk)s, starts_at - interval '21 days',
       CASE WHEN starts_at < %(now)s THEN starts_at - interval '10 minutes' END
  FROM chosen
  JOIN seed_scale_patients p ON p.idx = (x * %(stride)s) %% %(n)s
"""

# Cancelled and no-show visits free their slot: anywhere in clinic hours.
INACTIVE_APPOINTMENTS = """
WITH gen AS (
    SELECT g,
           (%(first_day)s::date + (floor(random() * (%(last_day)s::date
                - %(first_day)s::date)))::int) AS day,
           floor(random() * 40)::int AS slot,
           floor(random() * %(n)s)::int AS pidx
      FROM generate_series(1, %(inactive)s) AS g
), placed AS (
    SELECT gen.*,
           ((day + time '08:00' + slot * interval '15 minutes')
               AT TIME ZONE %(tz)s) AS starts_at
      FROM gen
)
INSERT INTO scheduling_appointment
    (patient_id, dermatologist_id, room_id, starts_at, ends_at, kind, status,
     cancellation_reason, front_desk_note, booked_by_id, booked_at, checked_in_at)
SELECT p.id, (%(derms)s::bigint[])[1 + g %% %(n_derms)s],
       CASE WHEN g %% 3 = 0 THEN (%(rooms)s::bigint[])[1 + g %% %(n_rooms)s] END,
       starts_at, starts_at + interval '30 minutes',
       (%(kinds)s::text[])[1 + (g %% array_length(%(kinds)s::text[], 1))],
       CASE WHEN g %% 4 = 0 AND starts_at < %(now)s THEN 'no_show'
            ELSE 'cancelled' END,
       CASE WHEN g %% 4 = 0 AND starts_at < %(now)s THEN ''
            ELSE 'Patient rang to cancel' END,
       '', %(desk)s, starts_at - interval '14 days', NULL
  FROM placed JOIN seed_scale_patients p ON p.idx = pidx
"""

# Photo rows sharing the stored placeholder images (seed_scale_images): the heavy charts get a
# visit of all six views every few weeks.
PHOTOS = """
INSERT INTO treatments_clinicalphoto
    (patient_id, taken_on, view, close_up_region, lighting, image, display,
     thumbnail, width, height, file_size, sha256, notes, uploaded_at,
     uploaded_by_id, archive_reason)
SELECT owner, taken_on, i.view,
       CASE WHEN i.view = 'close_up' THEN 'left_cheek' ELSE '' END,
       'diffuse', i.image, i.display, i.thumbnail, i.width, i.height,
       i.file_size, md5(g::text) || md5((g + 1)::text), '',
       taken_on + time '12:00', %(derm)s, ''
  FROM (
    SELECT g, owner,
           -- heavy charts: a visit of all six views every few weeks
           CASE WHEN g <= %(heavy_rows)s
                THEN %(today)s::date - ((g - 1) / %(views)s * 14 + 1)::int
                ELSE %(today)s::date - (1 + floor(random() * %(days)s))::int
           END AS taken_on
      FROM unnest(%(owners)s::bigint[]) WITH ORDINALITY AS t(owner, g)
  ) AS rows
  JOIN seed_scale_images i ON i.idx = (g - 1) %% %(views)s
"""

# Views of patient records by the data set's staff, spread over the five years.
ACCESS_LOGS = """
INSERT INTO clinic_accesslog
    (at, user_id, username, action, patient_id, patient_mrn, object_type,
     object_id, object_label, path, ip_address)
SELECT %(start)s + random() * (%(now)s - %(start)s),
       (%(user_ids)s::bigint[])[1 + g %% %(n_users)s],
       (%(usernames)s::text[])[1 + g %% %(n_users)s],
       'view', p.id, p.mrn, '', '', 'Patient record (' || p.mrn || ')',
       '/patients/' || p.id || '/', '127.0.0.1'
  FROM generate_series(1, %(count)s) AS g
  JOIN seed_scale_patients p ON p.idx = (g::bigint * %(stride)s) %% %(n)s
"""

# The calendar's change log (scheduling.CalendarChange) as five years of writes would have left
# it: the bulk insert's trigger wrote one row a day, where a clinic writes one for each booking
# and one for each later check-in, completion, cancellation or no-show; and renames (no day).
CALENDAR_CHANGES = """
    INSERT INTO scheduling_calendarchange (day)
    SELECT (a.starts_at AT TIME ZONE 'UTC')::date
      FROM scheduling_appointment a
      JOIN generate_series(1, 3) AS write ON write <= CASE a.status
            WHEN 'booked' THEN 1 WHEN 'completed' THEN 3 ELSE 2 END
    UNION ALL
    SELECT NULL FROM generate_series(1, %(renames)s)
"""
