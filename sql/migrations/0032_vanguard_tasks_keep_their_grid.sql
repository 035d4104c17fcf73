-- 0032: a 红色尖刀班 task is never deleted with its grid. 0030 declared vanguard_tasks.grid_id
-- ON DELETE CASCADE, so a plan that removed a grid (or a boundary import that dropped one)
-- silently deleted the tasks in it, their progress history with them. Tasks now follow the
-- layout as cases and needs do (a plan's apply, revert and edge redraw move them to the grid
-- that covers their point, or to a removed grid's heir; an import moves them within their
-- community), and the reference refuses a delete that would still orphan one.
ALTER TABLE vanguard_tasks DROP CONSTRAINT vanguard_tasks_grid_id_fkey;
ALTER TABLE vanguard_tasks ADD CONSTRAINT vanguard_tasks_grid_id_fkey FOREIGN KEY (grid_id) REFERENCES grids (id);
