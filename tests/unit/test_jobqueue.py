"""The local job queue: priority order, merge without duplicates, ownership."""

from __future__ import annotations

from ansible_collections.armadito.fleet.plugins.module_utils.armadito import jobqueue
from ansible_collections.armadito.fleet.plugins.module_utils.armadito.storage import JOBS_FILE, StateDir

RECORD = {"server_url": "http://127.0.0.1:1/", "agent_id": 7}


def job(job_id, priority):
    return {"job_id": job_id, "job_type": "Scan", "job_priority": priority,
            "obj": {"scan_name": "s%s" % job_id, "scan_path": "L3RtcA==", "scan_options": ""}}


def ids(jobs):
    return [entry["job_id"] for entry in jobs]


def test_highest_priority_first_then_oldest():
    jobs = [job(5, "0"), job(3, "2"), job(9, "3"), job(1, "0"), job(4, "2"), job(2, "1")]
    assert ids(jobqueue.run_order(jobs)) == [9, 3, 4, 2, 1, 5]


def test_unknown_priorities_count_as_low_and_string_ids_sort_numerically():
    jobs = [job("10", "7"), job("9", "x"), job("11", None), job(8, "1")]
    assert ids(jobqueue.run_order(jobs)) == [8, "9", "10", "11"]


def test_merge_keeps_queued_entries_and_adds_only_new_ids():
    queued = [dict(job(1, "0"), fetched_at=100)]
    queue, added = jobqueue.merge(queued, [job("1", "3"), job(2, "1"), job(2, "1"), {"job_type": "Scan"}, "junk"], 200)
    assert ids(queue) == [1, 2]
    assert queue[0]["fetched_at"] == 100 and queue[0]["job_priority"] == "0"
    assert ids(added) == [2] and added[0]["fetched_at"] == 200


def test_queue_of_another_enrollment_is_ignored(tmp_path):
    storage = StateDir(str(tmp_path))
    jobqueue.write_queue(storage, RECORD, [job(1, "0")])
    assert ids(jobqueue.read_queue(storage, dict(RECORD, server_url="http://127.0.0.1:1"))) == [1]
    assert jobqueue.read_queue(storage, dict(RECORD, agent_id=8)) == []
    assert jobqueue.read_queue(storage, dict(RECORD, server_url="http://other")) == []


def test_remove_rereads_the_file(tmp_path):
    storage = StateDir(str(tmp_path))
    jobqueue.write_queue(storage, RECORD, [job(1, "0"), job(2, "0")])
    jobqueue.remove(storage, RECORD, {"job_id": "1"})
    assert ids(storage.read(JOBS_FILE)["jobs"]) == [2]


def test_describe():
    assert jobqueue.describe(dict(job(4, "3"), fetched_at=5)) == {
        "job_id": 4, "job_type": "Scan", "priority": "urgent", "scan_name": "s4", "fetched_at": 5}
