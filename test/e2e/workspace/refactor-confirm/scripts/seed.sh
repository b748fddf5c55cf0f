#!/bin/sh
echo seed
